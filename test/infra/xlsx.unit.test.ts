/**
 * The XLSX writer (infra/xlsx.ts), read back by an independent reader (exceljs, a dev dependency
 * only): sheets in order with their names, the heading bold and frozen, numbers as numbers, rates
 * formatted as percentages, text that looks like a formula kept as text, Chinese and XML's special
 * characters intact, control characters dropped, bad sheet names refused.
 */
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { columnName, xlsx } from '../../infra/xlsx.js';

async function read(bytes: Uint8Array): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
  return wb;
}

describe('xlsx', () => {
  it('names columns as spreadsheets do', () => {
    expect([0, 25, 26, 51, 52, 701, 702].map(columnName)).toEqual(['A', 'Z', 'AA', 'AZ', 'BA', 'ZZ', 'AAA']);
  });

  it('writes a workbook another reader opens: sheets, headings, numbers, percentages, text as text', async () => {
    const bytes = xlsx([
      {
        name: '考核排名',
        header: ['排名', '名称', '得分', '满意率'],
        rows: [
          [1, '市燃气集团', 91.25, 0.9125],
          ['样本不足', '=HYPERLINK("http://x")', null, 0],
          [3, 'A & B <c> "d"\u0007', 0, null],
        ],
        percent: new Set([3]),
      },
      { name: '考核办法', header: ['项目', '内容'], rows: [['权重：满意率', '30']] },
    ]);
    const wb = await read(bytes);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['考核排名', '考核办法']);
    const ws = wb.getWorksheet('考核排名')!;
    expect(ws.getRow(1).values).toEqual([undefined, '排名', '名称', '得分', '满意率']);
    expect(ws.getCell('A1').font?.bold).toBe(true);
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(ws.getCell('C2').value).toBe(91.25);
    expect(ws.getCell('D2').value).toBe(0.9125);
    expect(ws.getCell('D2').numFmt).toBe('0.00%');
    expect(ws.getCell('D3').value, 'a zero is a value, not an empty cell').toBe(0);
    expect(ws.getCell('C3').value, 'null is an empty cell').toBeNull();
    expect(ws.getCell('B3').value, 'a caller\'s formula stays text').toBe('=HYPERLINK("http://x")');
    expect(ws.getCell('B3').formula).toBeUndefined();
    expect(ws.getCell('A3').value).toBe('样本不足');
    expect(ws.getCell('B4').value, 'special characters escaped, control characters dropped').toBe('A & B <c> "d"');
    expect(wb.getWorksheet('考核办法')!.getCell('B2').value).toBe('30');
  });

  it('refuses a workbook without sheets and names Excel does not take', () => {
    expect(() => xlsx([])).toThrow(/needs a sheet/);
    for (const name of ['', 'a/b', 'x'.repeat(32), '[1]']) expect(() => xlsx([{ name, header: ['a'], rows: [] }]), name).toThrow(/sheet name/);
    expect(() => xlsx([{ name: 'a', header: ['a'], rows: [] }, { name: 'a', header: ['a'], rows: [] }])).toThrow(/each once/);
  });
});
