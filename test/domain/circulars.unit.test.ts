/**
 * 通报 and 督办单 (domain/circulars.ts): a circular drafted from the facts names each unit with its
 * orders (number, category, district — never a citizen's words), the last ranked, and what is asked
 * of them; no facts, no circular; the last of a ranking with ties at the cut; the notice's text.
 */
import { describe, expect, it } from 'vitest';
import { chinaDateWords, draftCircular, lastRankedOf, supervisionNoticeText, type ChasedOrder } from '../../domain/circulars.js';

const policy = { chasedAtLeast: 2, lastRanked: 1, explainWithinWorkingDays: 3 };
const p = { centreName: '天津市12345政务服务便民热线', methodName: '承办单位考核办法', today: new Date('2026-12-06T02:00:00Z') };
const chased = (orderNo: string, unitCode: string, unitName: string, chases = 2): ChasedOrder => ({ orderNo, unitCode, unitName, categoryName: '燃气故障', districtName: '和平区', dueAt: new Date('2026-12-03T10:00:00Z'), chases });

describe('a circular drafted from the facts', () => {
  it('names each unit with its orders, and the last ranked, in the centre\'s words', () => {
    const d = draftCircular({ periodLabel: '2026年11月', chased: [chased('GD20261201000002', 'gas-group', '市燃气集团', 3), chased('GD20261201000001', 'gas-group', '市燃气集团'), chased('GD20261201000003', 'water-group', '市水务集团')], last: [{ unitCode: 'heating-group', unitName: '市热力集团', score: 41.5, rank: 9, of: 9 }] }, policy, p)!;
    expect(d.title).toBe('关于群众诉求催办后仍未办理情况的通报');
    expect(d.units).toEqual(['gas-group', 'water-group', 'heating-group']);
    expect(d.orders).toEqual(['GD20261201000001', 'GD20261201000002', 'GD20261201000003']);
    expect(d.body).toContain('依据《承办单位考核办法》，现将催办2次以上仍未办理的工单和2026年11月考核排名末位的单位通报如下。');
    expect(d.body).toContain('一、催办2次以上仍未办理的工单（共3件）\n（一）市燃气集团（2件）\n1. GD20261201000001，燃气故障（和平区），办理时限 2026-12-03 18:00（北京时间），已催办 2 次，至今未反馈办理结果。\n2. GD20261201000002');
    expect(d.body).toContain('（二）市水务集团（1件）');
    expect(d.body).toContain('二、2026年11月考核排名末位的单位\n市热力集团，考核得分 41.5 分，在 9 个参与排名的单位中列第 9 位。');
    expect(d.body).toContain('3个工作日内');
    expect(d.body.endsWith('天津市12345政务服务便民热线\n2026年12月6日')).toBe(true);
  });

  it('numbers its parts by what it holds, and is titled by the ranking alone when nothing is owed', () => {
    const d = draftCircular({ periodLabel: '2026年11月', chased: [], last: [{ unitCode: 'heating-group', unitName: '市热力集团', score: 41.5, rank: 9, of: 9 }] }, policy, p)!;
    expect(d.title).toBe('关于2026年11月考核排名末位单位的通报');
    expect(d.body).toContain('一、2026年11月考核排名末位的单位');
    expect(d.orders).toEqual([]);
  });

  it('is not drafted when the facts name nobody', () => {
    expect(draftCircular({ periodLabel: '2026年11月', chased: [], last: [] }, policy, p)).toBeNull();
  });

  it('takes the last of a ranking with the ties at the cut, none of a ranking of one, none when asked for none', () => {
    const rows = [
      { key: 'a', name: '甲', score: 90, rank: 1 },
      { key: 'b', name: '乙', score: 70, rank: 2 },
      { key: 'c', name: '丙', score: 70, rank: 2 },
      { key: 'd', name: '丁', score: null, rank: null },
    ];
    expect(lastRankedOf(rows, 1).map((u) => [u.unitCode, u.rank, u.of])).toEqual([['b', 2, 3], ['c', 2, 3]]);
    expect(lastRankedOf(rows, 3).map((u) => u.unitCode)).toEqual(['a', 'b', 'c']);
    expect(lastRankedOf(rows, 0)).toEqual([]);
    expect(lastRankedOf(rows.slice(0, 1), 1), 'one unit ranked is not "last"').toEqual([]);
  });
});

describe('a supervision notice (督办单)', () => {
  it('says what is owed, by when, and what follows', () => {
    const n = supervisionNoticeText({ noticeNo: 'GD20261201000001-1', orderNo: 'GD20261201000001', unitName: '市燃气集团', title: '燃气表漏气', categoryName: '燃气故障', districtName: '和平区', dueAt: new Date('2026-12-03T10:00:00Z'), chases: 2, replyBy: new Date('2026-12-07T10:00:00Z'), opinion: '请立即派员处理', centreName: '热线中心', issuedAt: new Date('2026-12-06T02:00:00Z') });
    expect(n.subject).toBe('督办单 GD20261201000001-1：工单 GD20261201000001');
    expect(n.text.split('\n')).toEqual([
      '督办单（GD20261201000001-1）',
      '承办单位：市燃气集团',
      '工单编号：GD20261201000001',
      '诉求：燃气表漏气（燃气故障，和平区）',
      '办理时限：2026-12-03 18:00（北京时间）；已催办 2 次',
      '督办意见：请立即派员处理',
      '请于 2026-12-07 18:00（北京时间） 前办结并向12345热线反馈办理结果；逾期未反馈的，将予以通报。',
      '热线中心',
      '2026年12月6日',
    ]);
  });

  it('dates in China\'s day', () => {
    expect(chinaDateWords(new Date('2026-12-31T16:00:00Z'))).toBe('2027年1月1日');
  });
});
