/**
 * What each reader sees of a confidential order's title (gateway/views.ts): the centre the words as
 * written, a unit and an operator its category only, in a list and on the order's page.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../domain/catalog.js';
import { orderDetail, orderSummary } from '../../gateway/views.js';
import { MemoryOrderStore } from '../support/memory-store.js';

const catalog = loadCatalog(path.resolve(import.meta.dirname, '../../config/catalog.json'));
const store = new MemoryOrderStore(() => new Date('2026-12-07T02:00:00Z'));
store.put({ orderNo: 'GD20261207000009', status: 'dispatched', unitCode: 'water-group', citizenConfidential: true, title: '张三家停水三天', category: 'water-outage', unitSummary: '反映供水问题' });
store.put({ orderNo: 'GD20261207000010', status: 'dispatched', unitCode: 'water-group', citizenConfidential: false, title: '友谊路停水', category: 'water-outage' });
const [secret, plain] = [store.order('GD20261207000009'), store.order('GD20261207000010')];

describe("a confidential order's title", () => {
  it.each([
    ['centre', '张三家停水三天'],
    ['unit', '保密件：停水'],
    ['operator', '保密件：停水'],
  ] as const)('reads, for the %s: %s', (view, title) => {
    expect(orderSummary(secret, catalog, view).title).toBe(title);
    expect(orderDetail(view, secret, [], catalog).title).toBe(title);
    if (view !== 'centre') expect(JSON.stringify(orderDetail(view, secret, [], catalog))).not.toContain('张三');
  });

  it('is only masked when the citizen asked for confidentiality', () => {
    expect(orderSummary(plain, catalog, 'unit').title).toBe('友谊路停水');
  });
});
