/**
 * CSV as the centre's spreadsheet programs read it: a UTF-8 byte-order mark (so the Chinese
 * headings show), CRLF lines, quoted where needed, and a cell a spreadsheet would take for a
 * formula (=, +, -, @, a tab or a return first: a citizen's title can say anything) led by an
 * apostrophe (a lone "-", which reads as "none", is no formula and stays as it is), so that opening an export never runs what a caller typed.
 */
export function csvCell(v: unknown): string {
  let s = v === null || v === undefined ? '' : String(v);
  if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s) && s !== '-') s = `'${s}`;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** A table: its headings, then one line per row, each cell the column's value. */
export function csvTable<R>(columns: ReadonlyArray<readonly [heading: string, value: (row: R) => unknown]>, rows: readonly R[]): string {
  const lines = [columns.map(([heading]) => csvCell(heading)).join(','), ...rows.map((r) => columns.map(([, value]) => csvCell(value(r))).join(','))];
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
