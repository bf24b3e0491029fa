import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadCatalog } from '../../domain/catalog.js';
import { addressSimilarity, escalationAt, findRepeat, loadRepeats, lookBackMs, metresBetween, normalizeAddress, NO_REPEATS } from '../../domain/repeats.js';

const open = (over: Partial<Parameters<typeof findRepeat>[1][number]> = {}) => ({
  orderNo: 'GD20261126000001', citizenPhone: '13800138000', category: 'water-outage', district: 'hexi', address: '河西区友谊路1号', createdAt: new Date('2026-11-25T02:00:00Z'), ...over,
});
const now = new Date('2026-11-26T02:00:00Z');
const policy = { sameCaller: { windowMs: 72 * 3600_000, minAddressSimilarity: 0.7 }, otherCallers: { windowMs: 24 * 3600_000, minAddressSimilarity: 0.85, radiusMeters: 100 }, escalation: [] };
const root = path.resolve(import.meta.dirname, '../..');
const request = { phone: '138-0013-8000', category: 'water-outage', district: 'hexi', address: '河西区 友谊路１号（3单元）' };

describe('重复件: which open order a new request repeats', () => {
  it('reads addresses written differently as one place', () => {
    expect(normalizeAddress('河西区 友谊路１号（3单元）')).toBe('河西区友谊路1号3单元');
    expect(addressSimilarity('河西区友谊路1号', '河西区 友谊路１号（3单元）')).toBe(1);
    expect(addressSimilarity('河西区友谊路1号', '河西区友谊路2号'), 'the next building').toBeGreaterThanOrEqual(0.7);
    expect(addressSimilarity('河西区友谊路1号', '南开区鞍山西道100号')).toBeLessThan(0.3);
  });

  it('takes the same phone, category and district near the same address within the window', () => {
    expect(findRepeat(request, [open()], policy, now)).toMatchObject({ orderNo: 'GD20261126000001', by: 'same-caller' });
  });

  it.each([
    ['another phone beyond its shorter window', open({ citizenPhone: '13900139000', createdAt: new Date('2026-11-25T01:00:00Z') })],
    ['another phone at a less alike address', open({ citizenPhone: '13900139000', address: '河西区友谊路2号', createdAt: new Date('2026-11-26T01:00:00Z') })],
    ['another category', open({ category: 'gas-fault' })],
    ['another district', open({ district: 'nankai' })],
    ['another place', open({ address: '河西区解放南路300号' })],
    ['an order older than the window', open({ createdAt: new Date('2026-11-22T01:00:00Z') })],
  ])('does not merge with %s', (_what, candidate) => {
    expect(findRepeat(request, [candidate], policy, now)).toBeUndefined();
  });

  it('merges nothing when the windows are 0 or the policy is off', () => {
    expect(findRepeat(request, [open()], { ...policy, sameCaller: { ...policy.sameCaller, windowMs: 0 } }, now)).toBeUndefined();
    expect(findRepeat(request, [open()], NO_REPEATS, now)).toBeUndefined();
    expect(lookBackMs(NO_REPEATS)).toBe(0);
  });
});

describe('重复件 across callers', () => {
  const recent = new Date('2026-11-26T00:00:00Z');
  it('takes another phone at the same place within the shorter window; the same caller first when both match', () => {
    const other = open({ orderNo: 'GD20261126000002', citizenPhone: '13900139000', createdAt: recent });
    expect(findRepeat(request, [other], policy, now)).toMatchObject({ orderNo: 'GD20261126000002', by: 'other-caller' });
    expect(findRepeat(request, [other, open()], policy, now)).toMatchObject({ orderNo: 'GD20261126000001', by: 'same-caller' });
  });

  it('takes a point within the radius as the same place, however the address is written, and none beyond it', () => {
    const other = open({ citizenPhone: '13900139000', address: '友谊路与永安道交口', createdAt: recent, lat: 39.1201, lng: 117.2001 });
    expect(metresBetween({ lat: 39.1201, lng: 117.2001 }, { lat: 39.12055, lng: 117.2001 })).toBeCloseTo(50, 0);
    expect(findRepeat({ ...request, address: '永安道口', location: { lat: 39.12055, lng: 117.2001 } }, [other], policy, now)?.by).toBe('other-caller');
    expect(findRepeat({ ...request, address: '永安道口', location: { lat: 39.1301, lng: 117.2001 } }, [other], policy, now)).toBeUndefined();
    expect(findRepeat({ ...request, address: '永安道口' }, [other], policy, now), 'no point: the address decides').toBeUndefined();
  });

  it('only between requests of the types listed, when some are: a consultation asks, it reports no matter', () => {
    const typed = { ...policy, otherCallers: { ...policy.otherCallers, types: ['help', 'complaint'] } };
    const other = open({ citizenPhone: '13900139000', createdAt: recent, type: 'complaint' });
    expect(findRepeat({ ...request, type: 'help' }, [other], typed, now)?.by).toBe('other-caller');
    expect(findRepeat({ ...request, type: 'consultation' }, [other], typed, now)).toBeUndefined();
    expect(findRepeat({ ...request, type: 'help' }, [{ ...other, type: 'consultation' }], typed, now)).toBeUndefined();
  });

  it('takes another caller\'s address as the same place only with the same numbers: 1号 and 11号 are two buildings, 1号 and 1号3单元 one', () => {
    const other = open({ citizenPhone: '13900139000', createdAt: recent, address: '河西区友谊路1号' });
    expect(findRepeat({ ...request, address: '河西区友谊路11号' }, [other], policy, now)).toBeUndefined();
    expect(findRepeat({ ...request, address: '河西区友谊路1号3单元' }, [other], policy, now)?.by).toBe('other-caller');
  });

  it('only for the categories listed, when some are', () => {
    const other = open({ citizenPhone: '13900139000', createdAt: recent });
    expect(findRepeat(request, [other], { ...policy, otherCallers: { ...policy.otherCallers, categories: ['road-damage'] } }, now)).toBeUndefined();
  });
});

describe('the repeats policy file', () => {
  const catalog = loadCatalog(path.join(root, 'config/catalog.json'));
  it('the project\'s own loads; its escalation reports up at 3 (supervision) and 5 (leaders)', () => {
    const p = loadRepeats(path.join(root, 'config/repeats.json'), catalog.categories);
    expect([escalationAt(p, 3), escalationAt(p, 4), escalationAt(p, 5)]).toEqual(['supervision', undefined, 'leaders']);
    expect(lookBackMs(p)).toBe(72 * 3600_000);
  });

  it('refuses counts that do not rise, and a category the catalog does not have, naming the field', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'repeats-'));
    const file = path.join(dir, 'r.json');
    fs.writeFileSync(file, JSON.stringify({ sameCaller: { windowHours: 72, minAddressSimilarity: 0.7 }, escalation: [{ repeats: 5, level: 'supervision' }, { repeats: 3, level: 'leaders' }] }));
    expect(() => loadRepeats(file, catalog.categories)).toThrow(/REPEATS_FILE .*escalation/);
    fs.writeFileSync(file, JSON.stringify({ sameCaller: { windowHours: 72, minAddressSimilarity: 0.7 }, otherCallers: { windowHours: 24, minAddressSimilarity: 0.9, radiusMeters: 50, categories: ['no-such'] } }));
    expect(() => loadRepeats(file, catalog.categories)).toThrow(/no-such/);
    fs.rmSync(dir, { recursive: true });
  });
});
