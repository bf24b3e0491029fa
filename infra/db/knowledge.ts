/** 知识库 entries: kept, found by full-text search on their bigram tokens, and retired. */
import type { DataSource } from 'typeorm';
import { searchQuery, searchText } from '../../domain/knowledge.js';

export interface KnowledgeEntry {
  id: string;
  title: string;
  body: string;
  category: string | null;
  source: string | null;
  createdBy: string;
  createdAt: Date;
  retiredAt: Date | null;
}

type Row = { id: string; title: string; body: string; category: string | null; source: string | null; created_by: string; created_at: Date; retired_at: Date | null; score?: number };
const entry = (r: Row): KnowledgeEntry => ({ id: String(r.id), title: r.title, body: r.body, category: r.category, source: r.source, createdBy: r.created_by, createdAt: new Date(r.created_at), retiredAt: r.retired_at ? new Date(r.retired_at) : null });

export class KnowledgeStore {
  constructor(private readonly ds: DataSource) {}

  async add(e: { title: string; body: string; category?: string | null; source?: string | null; createdBy: string }): Promise<KnowledgeEntry> {
    const now = new Date();
    const r = (await this.ds.query('INSERT INTO knowledge_entry (title, body, category, source, search_text, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)', [
      e.title,
      e.body,
      e.category ?? null,
      e.source ?? null,
      searchText(e.title, e.title, e.body), // the title counts twice: a match there ranks higher
      e.createdBy,
      now,
    ])) as { insertId: number };
    return (await this.find(String(r.insertId)))!;
  }

  async find(id: string): Promise<KnowledgeEntry | null> {
    const rows = (await this.ds.query('SELECT * FROM knowledge_entry WHERE id = ?', [id])) as Row[];
    return rows[0] ? entry(rows[0]) : null;
  }

  /** Live entries best matching the query first; none when the query has nothing to search for. */
  async search(q: string, opts: { category?: string; limit: number }): Promise<Array<KnowledgeEntry & { score: number }>> {
    const query = searchQuery(q);
    if (!query) return [];
    const rows = (await this.ds.query(
      `SELECT *, MATCH(search_text) AGAINST (? IN BOOLEAN MODE) AS score FROM knowledge_entry
       WHERE retired_at IS NULL AND MATCH(search_text) AGAINST (? IN BOOLEAN MODE) ${opts.category ? 'AND category = ?' : ''}
       ORDER BY score DESC, id DESC LIMIT ?`,
      [query, query, ...(opts.category ? [opts.category] : []), opts.limit],
    )) as Row[];
    return rows.map((r) => ({ ...entry(r), score: Math.round(Number(r.score) * 1000) / 1000 }));
  }

  async retire(id: string): Promise<boolean> {
    const r = (await this.ds.query('UPDATE knowledge_entry SET retired_at = ? WHERE id = ? AND retired_at IS NULL', [new Date(), id])) as { affectedRows: number };
    return r.affectedRows > 0;
  }
}
