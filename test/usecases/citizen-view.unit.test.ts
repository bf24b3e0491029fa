/**
 * 市民自助查询 and 一事一评 by SMS, on the order store in memory: the closing SMS's link opens the
 * order it closed and evaluates it once; a one-time code goes only to a mobile that gave an order
 * and shows that phone's orders, nobody else's. The codes' own rules (expiry, tries, the hourly
 * limit) are the MySQL store's: test/infra/db/citizen-codes.int.test.ts.
 */
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../domain/catalog.js';
import { contactTokenHash } from '../../domain/notices.js';
import type { OutboxMessage } from '../../domain/outgoing.js';
import { evaluate, progressByCode, progressOf, sendCode, type CitizenCodes } from '../../usecases/citizen-view.js';
import { MemoryOrderStore } from '../support/memory-store.js';

const catalog = loadCatalog(path.resolve(import.meta.dirname, '../../config/catalog.json'));
const NOW = new Date('2026-12-07T02:00:00Z');
const MINE = '13800138000';

/** Codes as the port promises them, the newest one only, once: what the use case relies on. */
class Codes implements CitizenCodes {
  sent: Array<{ phone: string; codeHash: string; sms: OutboxMessage }> = [];
  async issue(c: { phone: string; codeHash: string; sms: OutboxMessage }): Promise<boolean> {
    this.sent.push(c);
    return true;
  }
  async redeem(phone: string, codeHash: string): Promise<boolean> {
    const last = this.sent.filter((c) => c.phone === phone).at(-1);
    if (!last || last.codeHash !== codeHash) return false;
    this.sent = this.sent.filter((c) => c !== last);
    return true;
  }
}

let store: MemoryOrderStore;
let codes: Codes;
const deps = () => ({ store, catalog, codes, now: () => NOW });
beforeEach(() => {
  store = new MemoryOrderStore(() => NOW);
  codes = new Codes();
  store.put({ orderNo: 'GD20261207000001', status: 'closed', citizenPhone: MINE, unitCode: 'water-group', closedAt: NOW, citizenRatingToken: contactTokenHash('Ab3dE7xK') });
  store.put({ orderNo: 'GD20261207000002', status: 'dispatched', citizenPhone: MINE, unitCode: 'water-group' });
  store.put({ orderNo: 'GD20261207000003', status: 'dispatched', citizenPhone: '13900139000', unitCode: 'gas-group' });
});

describe('the closing SMS\'s link (一事一评)', () => {
  it('opens the order it closed, and evaluates it once', async () => {
    expect(await progressOf(deps(), { token: 'Ab3dE7xK' })).toMatchObject({ orderNo: 'GD20261207000001', evaluation: { open: true } });
    expect(await evaluate(deps(), { token: 'Ab3dE7xK' }, 4, '处理及时')).toMatchObject({ evaluation: { open: false, rating: 4, label: '满意' } });
    await expect(evaluate(deps(), { token: 'Ab3dE7xK' }, 5, undefined)).rejects.toMatchObject({ code: 'ALREADY_EVALUATED' });
    await expect(evaluate(deps(), { orderNo: 'GD20261207000001', phone: MINE }, 5, undefined), 'nor again by number and phone').rejects.toMatchObject({ code: 'ALREADY_EVALUATED' });
  });

  it('refuses a token no closing SMS carried, as a wrong phone is refused', async () => {
    for (const token of ['Ab3dE7xL', 'short', 'Ab3dE7xK?', '']) await expect(progressOf(deps(), { token })).rejects.toMatchObject({ code: 'PROGRESS_NOT_FOUND' });
  });
});

describe('the one-time code (市民自助查询 without the order number)', () => {
  it('goes by SMS to a mobile that gave an order, in any of its spellings, and shows that phone\'s orders only', async () => {
    await sendCode(deps(), '+86 138-0013-8000');
    expect(codes.sent).toHaveLength(1);
    const sms = codes.sent[0]!.sms;
    expect(sms).toMatchObject({ channel: 'sms', destination: MINE });
    const code = /验证码(\d{6})/.exec((sms.payload as { text: string }).text)![1]!;
    const orders = await progressByCode(deps(), MINE, code);
    expect(orders.map((o) => o.orderNo).sort()).toEqual(['GD20261207000001', 'GD20261207000002']);
    expect(Object.keys(orders[0]!).sort(), 'nothing of the citizen or anyone else').toEqual(['acceptedAt', 'answer', 'closedAt', 'evaluation', 'expectedBy', 'orderNo', 'status', 'unit']);
    await expect(progressByCode(deps(), MINE, code), 'a code is used once').rejects.toMatchObject({ code: 'CODE_NOT_VALID' });
  });

  it('sends nothing to a number that gave no order, nor to a landline, and says the same', async () => {
    await expect(sendCode(deps(), '13700137000')).resolves.toBeUndefined();
    await expect(sendCode(deps(), '022-23456789')).resolves.toBeUndefined();
    expect(codes.sent).toEqual([]);
  });

  it('refuses a wrong code, and a code meant for another phone', async () => {
    await sendCode(deps(), MINE);
    await sendCode(deps(), '13900139000');
    const [mine, theirs] = codes.sent.map((c) => /验证码(\d{6})/.exec((c.sms.payload as { text: string }).text)![1]!);
    const wrong = ['000000', '000001', '000002'].find((c) => c !== mine && c !== theirs)!;
    await expect(progressByCode(deps(), MINE, wrong)).rejects.toMatchObject({ code: 'CODE_NOT_VALID' });
    if (theirs !== mine) await expect(progressByCode(deps(), MINE, theirs!)).rejects.toMatchObject({ code: 'CODE_NOT_VALID' });
    await expect(progressByCode(deps(), MINE, 'abcdef')).rejects.toMatchObject({ code: 'CODE_NOT_VALID' });
  });
});
