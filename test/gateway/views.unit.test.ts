/**
 * What each reader sees of an order (gateway/views.ts): of a confidential order's title, the centre
 * the words as written, a unit its category only; an operator every order's category, and its
 * notes and trace with the citizen and any personal data taken out; which reads name the citizen
 * and so are audited (domain/access.ts viewNamesCitizen).
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../domain/catalog.js';
import { viewNamesCitizen } from '../../domain/access.js';
import { contactConfirmPage, orderDetail, orderSummary, traceForOperator } from '../../gateway/views.js';
import type { HistoryRow } from '../../infra/db/entities.js';
import { MemoryOrderStore } from '../support/memory-store.js';

const catalog = loadCatalog(path.resolve(import.meta.dirname, '../../config/catalog.json'));
const store = new MemoryOrderStore(() => new Date('2026-12-07T02:00:00Z'));
store.put({ orderNo: 'GD20261207000009', status: 'dispatched', unitCode: 'water-group', citizenConfidential: true, title: '张三家停水三天', category: 'water-outage', unitSummary: '反映供水问题' });
store.put({ orderNo: 'GD20261207000010', status: 'dispatched', unitCode: 'water-group', citizenConfidential: false, title: '友谊路停水', category: 'water-outage', citizenName: '李四', citizenPhone: '13900001111', address: '河西区友谊路12号3单元' });
const [secret, plain] = [store.order('GD20261207000009'), store.order('GD20261207000010')];

describe("a confidential order's title", () => {
  it.each([
    ['centre', '张三家停水三天'],
    ['unit', '保密件：停水'],
    ['operator', '停水'],
  ] as const)('reads, for the %s: %s', (view, title) => {
    expect(orderSummary(secret, catalog, view).title).toBe(title);
    expect(orderDetail(view, secret, [], catalog).title).toBe(title);
    if (view !== 'centre') expect(JSON.stringify(orderDetail(view, secret, [], catalog))).not.toContain('张三');
  });

  it('is only masked when the citizen asked for confidentiality', () => {
    expect(orderSummary(plain, catalog, 'unit').title).toBe('友谊路停水');
  });
});

describe('what an operator reads of any order', () => {
  const history = (note: string): HistoryRow[] => [{ id: '1', orderNo: plain.orderNo!, step: 'cancel', actor: 'supervisor:k1', note, detail: null, dedupKey: null, occurredAt: new Date('2026-12-07T03:00:00Z') } as HistoryRow];
  const note = '撤销：李四（13900001111）已自行解决，河西区友谊路12号3单元，邻居王五作证，身份证120101199001011234';

  it('is the category for a title, even where the citizen did not ask for confidentiality', () => {
    expect(orderSummary(plain, catalog, 'operator').title).toBe('停水');
  });

  it('is the history with the citizen and any personal data taken out of its notes, its steps and actors kept', () => {
    const [h] = (orderDetail('operator', plain, history(note), catalog) as { history: Array<{ step: string; actor: string; note: string }> }).history;
    expect(h).toMatchObject({ step: 'cancel', actor: 'supervisor:k1' });
    for (const hidden of ['李四', '13900001111', '友谊路12号', '王五', '120101199001011234']) expect(h!.note).not.toContain(hidden);
    expect(h!.note).toContain('已自行解决');
    expect((orderDetail('centre', plain, history(note), catalog) as { history: Array<{ note: string }> }).history[0]!.note, 'the centre reads it as written').toBe(note);
  });

  it('is the trace with its lines and free-text details cleaned alike, its keys and ids kept', () => {
    const entries = [
      { at: '2026-12-07T03:00:00.000Z', source: 'operator', what: `cancel by supervisor:k1: ${note}`, detail: { action: 'cancel', reason: note, processInstanceKey: '2251799813685249' } },
      { at: '2026-12-07T03:00:01.000Z', source: 'job', what: 'notify-citizen failed: 李四 13900001111 has no mailbox', detail: { error: '李四 13900001111 has no mailbox', elementInstanceKey: '120101199001011' } },
    ];
    const shown = JSON.stringify(traceForOperator(entries, plain));
    for (const hidden of ['李四', '13900001111', '王五', '120101199001011234']) expect(shown).not.toContain(hidden);
    expect(traceForOperator(entries, plain).map((e) => [e.detail.processInstanceKey, e.detail.elementInstanceKey])).toEqual([['2251799813685249', undefined], [undefined, '120101199001011']]);
  });
});

describe('which reads name the citizen, and are audited as a write is', () => {
  it.each([
    ['centre', false, true],
    ['centre', true, true],
    ['unit', false, true],
    ['unit', true, false],
    ['operator', false, false],
    ['operator', true, false],
  ] as const)('the %s view of an order (confidential: %s): %s', (view, confidential, audited) => {
    expect(viewNamesCitizen(view, { citizenConfidential: confidential })).toBe(audited);
  });
});

describe('what a unit reads of a step an operator mended for it', () => {
  it('is its own step, corrected by the hotline, without naming the operator', () => {
    const h = [{ id: '1', orderNo: plain.orderNo!, step: 'reply', actor: 'unit:water-group（cli:zhang@ops-1 更正）', note: '单位答复', detail: null, dedupKey: null, occurredAt: new Date('2026-12-07T03:00:00Z') } as HistoryRow];
    const shown = (orderDetail('unit', plain, h, catalog) as { history: Array<{ actor: string }> }).history;
    expect(shown.map((x) => x.actor)).toEqual(['unit:water-group（12345热线更正）']);
  });
});

describe('the e-mail confirmation pages', () => {
  const token = 'abcdefghijklmnopqrstuvwxyzABCD-_';
  it('ask with a button that posts the token, and only for a token as the hub makes them', () => {
    expect(contactConfirmPage('pending', 'GD20261207000010', token)).toContain(`<input type="hidden" name="token" value="${token}">`);
    expect(contactConfirmPage('pending', 'GD20261207000010', '"><script>alert(1)</script>')).not.toMatch(/<script|<form/);
  });
  it('say what came of it, without a button', () => {
    expect(contactConfirmPage('confirmed', 'GD20261207000010')).toContain('感谢确认');
    expect(contactConfirmPage('unknown', undefined, token)).not.toContain('<form');
  });
});
