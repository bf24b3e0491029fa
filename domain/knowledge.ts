/**
 * 知识库 search: zh-CN text has no spaces between words, so entries and queries are cut into
 * overlapping character pairs (bigrams: 小区停水 → 小区 区停 停水) and Latin words; the database's
 * ordinary full-text index then finds and ranks them, on MySQL and MariaDB alike (MariaDB has no
 * n-gram parser). Every token is made at least three characters long (a "q" appended), the
 * shortest word InnoDB's full-text index keeps by default. Pure: no I/O.
 */

const CJK = /[\u3400-\u9fff\uf900-\ufaff]/u;
const PAD = 'q';

/** The search tokens of a text: CJK bigrams (a lone character by itself), and words of letters and digits. */
export function searchTokens(text: string): string[] {
  const out: string[] = [];
  const s = text.normalize('NFKC').toLowerCase();
  let run = '';
  let word = '';
  const flushRun = () => {
    if (run.length === 1) out.push(run + PAD + PAD);
    for (let i = 0; i + 1 < run.length; i++) out.push(run.slice(i, i + 2) + PAD);
    run = '';
  };
  const flushWord = () => {
    if (word) out.push(word.length < 3 ? word.padEnd(3, PAD) : word);
    word = '';
  };
  for (const ch of s) {
    if (CJK.test(ch)) {
      flushWord();
      run += ch;
    } else if (/[a-z0-9]/.test(ch)) {
      flushRun();
      word += ch;
    } else {
      flushRun();
      flushWord();
    }
  }
  flushRun();
  flushWord();
  return out;
}

/** What is stored in the indexed column: the tokens, space-separated. */
export const searchText = (...parts: string[]): string => searchTokens(parts.join(' ')).join(' ');

/**
 * A boolean-mode query matching any token, ranked by how many match; null when the query has
 * nothing to search for. Tokens are letters, digits and CJK only, so no boolean operator can get in.
 */
export function searchQuery(q: string): string | null {
  const tokens = [...new Set(searchTokens(q))];
  return tokens.length ? tokens.join(' ') : null;
}
