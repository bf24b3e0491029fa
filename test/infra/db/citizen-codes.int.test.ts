/**
 * One-time codes on MySQL (市民自助查询 by SMS): a code and its SMS commit together; a phone gets
 * at most its hourly share of codes, also when requests come at once; a code works once, before
 * it expires, and a few wrong tries void it; a newer code voids the older.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contactTokenHash } from '../../../domain/notices.js';
import { loadConfig } from '../../../infra/config.js';
import { CitizenCodeStore } from '../../../infra/db/citizen-codes.js';
import { createDataSource, openDataSource } from '../../../infra/db/data-source.js';
import { SqlOrderStore } from '../../../infra/db/orders.js';
import { request } from '../../support/order-store-contract.js';

const ds = createDataSource(loadConfig());
beforeAll(() => openDataSource(ds));
afterAll(() => ds.destroy());
let clock = new Date('2026-12-07T02:00:00Z');
const codes = new CitizenCodeStore(ds, () => clock);
const store = new SqlOrderStore(ds);
let phones = 0;
/** A mobile of its own with one order, for each test. */
const phoneWithOrder = async (): Promise<string> => {
  const phone = `1990000${String(++phones).padStart(4, '0')}`;
  const r = request('验证码');
  await store.register({ ...r, citizen: { ...r.citizen, phone } }, undefined, 'test', () => []);
  return phone;
};
const hash = (phone: string, code: string) => contactTokenHash(`${phone}:${code}`);
const issue = (phone: string, code: string, perHour = 3) =>
  codes.issue({ phone, codeHash: hash(phone, code), expiresAt: new Date(clock.getTime() + 600_000), sms: { channel: 'sms', destination: phone, payload: { text: `验证码${code}` }, dedupKey: `code:${phone}:${code}:${clock.getTime()}` } }, perHour);
const smsTo = async (phone: string) => ((await ds.query("SELECT COUNT(*) AS n FROM outbox WHERE destination = ? AND channel = 'sms'", [phone])) as [{ n: string }])[0].n;

describe('one-time codes (MySQL)', () => {
  it('keeps a code with its SMS, and lets it in once', async () => {
    const phone = await phoneWithOrder();
    expect(await issue(phone, '123456')).toBe(true);
    expect(Number(await smsTo(phone))).toBe(1);
    expect(await codes.redeem(phone, hash(phone, '123456'), 5)).toBe(true);
    expect(await codes.redeem(phone, hash(phone, '123456'), 5), 'used').toBe(false);
  });

  it('voids a code after five wrong tries, and an expired one', async () => {
    const phone = await phoneWithOrder();
    await issue(phone, '111111');
    for (let i = 0; i < 5; i++) expect(await codes.redeem(phone, hash(phone, `22222${i}`), 5)).toBe(false);
    expect(await codes.redeem(phone, hash(phone, '111111'), 5), 'the right code after five wrong ones').toBe(false);
    clock = new Date(clock.getTime() + 3_600_001);
    await issue(phone, '333333');
    clock = new Date(clock.getTime() + 600_000);
    expect(await codes.redeem(phone, hash(phone, '333333'), 5), 'ten minutes on').toBe(false);
  });

  it('lets in the newest code only', async () => {
    const phone = await phoneWithOrder();
    await issue(phone, '444444');
    await issue(phone, '555555');
    expect(await codes.redeem(phone, hash(phone, '444444'), 5)).toBe(false);
    expect(await codes.redeem(phone, hash(phone, '555555'), 5)).toBe(true);
  });

  it('sends a phone three codes an hour, also when eight requests come at once', async () => {
    const phone = await phoneWithOrder();
    const sent = await Promise.all(Array.from({ length: 8 }, (_, i) => issue(phone, String(600000 + i))));
    expect(sent.filter(Boolean)).toHaveLength(3);
    expect(Number(await smsTo(phone))).toBe(3);
    clock = new Date(clock.getTime() + 3_600_001);
    expect(await issue(phone, '777777'), 'the next hour').toBe(true);
  });
});
