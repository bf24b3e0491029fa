import { describe, expect, it } from 'vitest';
import { addressSimilarity, findRepeat, normalizeAddress } from '../../domain/repeats.js';

const open = (over: Partial<Parameters<typeof findRepeat>[1][number]> = {}) => ({
  orderNo: 'GD20261126000001', citizenPhone: '13800138000', category: 'water-outage', district: 'hexi', address: '河西区友谊路1号', createdAt: new Date('2026-11-25T02:00:00Z'), ...over,
});
const now = new Date('2026-11-26T02:00:00Z');
const policy = { windowMs: 72 * 3600_000, minAddressSimilarity: 0.7 };
const request = { phone: '138-0013-8000', category: 'water-outage', district: 'hexi', address: '河西区 友谊路１号（3单元）' };

describe('重复件: which open order a new request repeats', () => {
  it('reads addresses written differently as one place', () => {
    expect(normalizeAddress('河西区 友谊路１号（3单元）')).toBe('河西区友谊路1号3单元');
    expect(addressSimilarity('河西区友谊路1号', '河西区 友谊路１号（3单元）')).toBe(1);
    expect(addressSimilarity('河西区友谊路1号', '河西区友谊路2号'), 'the next building').toBeGreaterThanOrEqual(0.7);
    expect(addressSimilarity('河西区友谊路1号', '南开区鞍山西道100号')).toBeLessThan(0.3);
  });

  it('takes the same phone, category and district near the same address within the window', () => {
    expect(findRepeat(request, [open()], policy, now)?.orderNo).toBe('GD20261126000001');
  });

  it.each([
    ['another phone', open({ citizenPhone: '13900139000' })],
    ['another category', open({ category: 'gas-fault' })],
    ['another district', open({ district: 'nankai' })],
    ['another place', open({ address: '河西区解放南路300号' })],
    ['an order older than the window', open({ createdAt: new Date('2026-11-22T01:00:00Z') })],
  ])('does not merge with %s', (_what, candidate) => {
    expect(findRepeat(request, [candidate], policy, now)).toBeUndefined();
  });

  it('merges nothing when the window is 0 (merging switched off)', () => {
    expect(findRepeat(request, [open()], { ...policy, windowMs: 0 }, now)).toBeUndefined();
  });
});
