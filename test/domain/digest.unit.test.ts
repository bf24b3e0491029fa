/**
 * 群众来电摘报 (domain/digest.ts) and the terms it counts (infra/text/terms.ts): a surge is a count
 * of at least three that doubles its own four-week daily average (a new topic from half an order a
 * day), highest jump first; the text names every section in the centre's words.
 */
import { describe, expect, it } from 'vitest';
import { digestText, surging, type Digest } from '../../domain/digest.js';
import { termsOf } from '../../infra/text/terms.js';

describe('the daily digest', () => {
  it('finds what jumped against its own baseline, and not what is merely large or merely new and rare', () => {
    const out = surging([
      { key: 'gas', name: '燃气故障', today: 6, before: 0 }, // new, and six of them
      { key: 'water', name: '停水', today: 5, before: 84 }, // three a day as usual, five today: not double
      { key: 'noise', name: '噪声', today: 8, before: 56 }, // two a day: four times
      { key: 'rare', name: '罕见', today: 2, before: 0 }, // new, but two
      { key: 'big', name: '大类', today: 40, before: 28 * 25 }, // large, as usual
    ]);
    expect(out.map((s) => [s.key, s.usual, s.ratio])).toEqual([['gas', 0, null], ['noise', 2, 4]]);
  });

  it('counts a request\'s terms once each, without punctuation, numbers and the words every request says', () => {
    const t = termsOf('河西区友谊路小区停水三天了，停水影响生活，自来水公司一直没人来修123');
    expect(t.has('停水')).toBe(true);
    expect(t.has('友谊路')).toBe(true);
    expect([...t].some((w) => /\d|，/.test(w))).toBe(false);
    for (const w of ['小区', '一直', '影响', '生活']) expect(t.has(w), w).toBe(false);
  });

  it('writes the digest in the centre\'s words, each section there even when empty', () => {
    const d: Digest = { day: '2026-12-06', volume: { today: 120, usual: 98.5 }, categories: [{ key: 'gas', name: '燃气故障', today: 6, usual: 0, ratio: null }], districts: [], terms: [{ key: '异味', name: '异味', today: 5, usual: 0.4, ratio: 12.5 }], topCategories: [{ name: '停水', today: 30 }], hardCases: [{ orderNo: 'GD20261206000001', reason: '两次以上退单，职责不清', unit: '市城市管理委员会' }], overdue: { total: 3, byUnit: [{ unit: '市燃气集团', overdue: 2 }] }, unitsInTrouble: [{ unit: '市燃气集团', chases: 4, supervised: 1, overdue: 2 }], madeAt: '2026-12-06T23:00:00Z' };
    const { subject, text } = digestText(d, '12345热线中心');
    expect(subject).toBe('【群众来电摘报】2026年12月6日');
    expect(text).toContain('一、来电总量：2026-12-06 受理 120 件（近四周日均 98.5 件）。受理最多的类别：停水 30件。');
    expect(text).toContain('二、明显增多的诉求：燃气故障 6件（平日 0）。');
    expect(text).toContain('三、明显增多的区域：无。');
    expect(text).toContain('四、热点词：异味 5次（平日 0.4）。');
    expect(text).toContain('五、新认定疑难件：GD20261206000001（两次以上退单，职责不清，市城市管理委员会）。');
    expect(text).toContain('六、超期未办结：3 件，其中 市燃气集团 2件。');
    expect(text).toContain('七、需关注的承办单位：市燃气集团（催办 4 次，督办 1 次，超期 2 件）。');
    expect(text).toContain('生成时间：2026-12-07 07:00（北京时间）');
  });
});
