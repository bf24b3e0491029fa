/**
 * Deadlines on the real stack, with the hub's clock moved to the end of a year the calendar does
 * not know the next of: the order is flagged, its history says why, the operator sees a warning;
 * with the city's calendar file naming the new year's holidays, the deadline counts them.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { chinaDate } from '../../domain/deadline.js';
import { startHub, type RunningHub } from '../../hub/compose.js';
import { loadConfig } from '../../infra/config.js';
import { createLogger } from '../../infra/log.js';
import { freePort } from '../support/harness.js';
import { bearer, makeKeys, type TestKeys } from '../support/keys.js';

let keys: TestKeys;
let hub: RunningHub | undefined;
beforeAll(async () => {
  keys = await makeKeys();
});
afterEach(async () => {
  await hub?.close();
  hub = undefined;
});

/** 2026-12-30 10:00 in Beijing: three working days run into 2027. */
const yearEnd = () => new Date('2026-12-30T10:00:00+08:00');

async function dispatchedOrder(env: Record<string, string>): Promise<{ base: string; order: { dueAt: string; dueAtEstimated: boolean; history: Array<{ step: string; note: string }> } }> {
  hub = await startHub(loadConfig({ ...process.env, PORT: String(await freePort()), OUTBOX_POLL_MS: '100', DEMO_KEYS: 'false', ...env }), createLogger('fatal'), { now: yearEnd });
  const base = `${hub.url}/api/v1`;
  const res = await fetch(`${base}/orders`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...bearer(keys.role['call-taker']) },
    body: JSON.stringify({ channel: 'phone', type: 'help', category: 'water-outage', title: '年末停水', description: '年末停水', district: 'hexi', address: '河西区年末路1号', citizen: { name: '年末', phone: '13100131000', confidential: false } }),
  });
  const { orderNo } = (await res.json()) as { orderNo: string };
  const read = async () => (await (await fetch(`${base}/orders/${orderNo}`, { headers: bearer(keys.role.supervisor) })).json()) as { status: string; dueAt: string; dueAtEstimated: boolean; history: Array<{ step: string; note: string }> };
  await expect.poll(async () => (await read()).status, { timeout: 20_000 }).toBe('dispatched');
  return { base, order: await read() };
}

describe('working-day deadlines at a year without calendar data', () => {
  it('flags an order whose deadline was counted from weekends only, says so in its history, and warns the operator', async () => {
    const { base, order } = await dispatchedOrder({});
    expect(chinaDate(new Date(Date.parse(order.dueAt) - 1)), '31 Dec, 1 Jan (unknown: taken as a working day), 4 Jan').toBe('2027-01-04');
    expect(order.dueAtEstimated).toBe(true);
    expect(order.history.find((h) => h.step === 'dispatch')?.note).toMatch(/2027年节假日安排尚未载入/);
    const ready = (await (await fetch(`${base.replace('/api/v1', '')}/readyz`, { headers: bearer(keys.role.operator) })).json()) as { status: string; checks: Record<string, string> };
    expect(ready.checks.calendar).toMatch(/^warning: no working-day data for 2027/);
    expect(ready.status, 'a calendar gap does not make the hub unready').toBe('ready');
  });

  it('counts the holidays a city adds for the new year in its calendar file, and flags nothing', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'calendar-')), 'calendar.json');
    fs.writeFileSync(file, JSON.stringify({ years: [{ year: 2027, source: 'test data', holidays: ['2027-01-01', '2027-01-02', '2027-01-03'], workdays: [] }] }));
    const { order } = await dispatchedOrder({ CALENDAR_FILE: file });
    expect(chinaDate(new Date(Date.parse(order.dueAt) - 1))).toBe('2027-01-05');
    expect(order.dueAtEstimated).toBe(false);
  });
});
