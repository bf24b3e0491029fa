/** Exports as a spreadsheet opens them (domain/csv.ts): Chinese headings, quoting, and no formula a caller typed. */
import { describe, expect, it } from 'vitest';
import { csvCell, csvTable } from '../../domain/csv.js';

describe('CSV for the centre\'s spreadsheets', () => {
  it('starts with a byte-order mark, ends lines with CRLF and quotes what needs it', () => {
    const csv = csvTable([['工单号', (r: { no: string }) => r.no], ['标题', (r) => `说"是",${r.no}`]], [{ no: 'GD1' }]);
    expect(csv).toBe('\uFEFF工单号,标题\r\nGD1,"说""是"",GD1"\r\n');
  });

  it.each([
    ['=HYPERLINK("http://x","点我")', `"'=HYPERLINK(""http://x"",""点我"")"`],
    ['+86 138', "'+86 138"],
    ['-1', "'-1"],
    ['@SUM(A1)', "'@SUM(A1)"],
  ])('keeps the formula-looking text %s as text', (typed, cell) => {
    expect(csvCell(typed)).toBe(cell);
  });

  it('leaves numbers, empty cells and plain text alone', () => {
    expect(csvCell(-3)).toBe('-3');
    expect(csvCell(null)).toBe('');
    expect(csvCell('小区停水')).toBe('小区停水');
    expect(csvCell('-'), 'a lone dash is "none", not a formula').toBe('-');
  });
});
