/**
 * 群众来电摘报 on the real stack: four weeks of orders (one water outage a day in 河西区) and a
 * yesterday with gas leaks in 和平区, a hard case and an order past its deadline; two hub processes
 * whose digest hour has come make yesterday's digest once between them — the surge of gas leaks,
 * of 和平区 and of the term 异味 found against their own baseline, the usual water outages not — and
 * mail it once to the duty leader; the API and the console show it.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../domain/catalog.js';
import { startHub, type RunningHub } from '../../hub/compose.js';
import { loadConfig, projectRoot } from '../../infra/config.js';
import { createDataSource, openDataSource } from '../../infra/db/data-source.js';
import { SqlOrderStore } from '../../infra/db/orders.js';
import { createLogger } from '../../infra/log.js';
import { freePort, startSmtp, type Mailbox } from '../support/harness.js';
import { bearer, makeKeys, type TestKeys } from '../support/keys.js';
import { request } from '../support/order-store-contract.js';
import { shot, signIn, useBrowser } from '../support/browser.js';

const catalog = loadCatalog(path.join(projectRoot, 'config/catalog.json'));
const DAY = 86_400_000;
const chinaDay = (t: number) => new Date(t + 8 * 3_600_000).toISOString().slice(0, 10);
const yesterday = chinaDay(Date.now() - DAY);
/** Noon, China time, `days` days before today. */
const noon = (days: number) => new Date(Date.parse(`${chinaDay(Date.now() - days * DAY)}T12:00:00+08:00`));

let keys: TestKeys;
let mail: Mailbox;
const hubs: RunningHub[] = [];
const chromium = useBrowser();

beforeAll(async () => {
  keys = await makeKeys();
  mail = await startSmtp();
  // The orders, as the hub would have taken them, moved to their days; no process runs for them.
  const ds = await openDataSource(createDataSource(loadConfig()));
  try {
    const store = new SqlOrderStore(ds);
    const put = async (days: number, r: { title: string; description: string; category: string; district: string }, set: Record<string, unknown> = {}) => {
      const { order } = await store.register({ ...request(r.title), ...r, citizen: { name: '摘报测试', phone: '13800138000', confidential: false } }, undefined, 'test', () => []);
      await ds.query(`UPDATE work_order SET created_at = ?, status = 'closed'${Object.keys(set).map((k) => `, ${k} = ?`).join('')} WHERE order_no = ?`, [noon(days), ...Object.values(set), order.orderNo]);
      return order.orderNo!;
    };
    for (let days = 2; days <= 29; days++) await put(days, { title: '小区停水', description: '河西区小区停水', category: 'water-outage', district: 'hexi' });
    await put(1, { title: '小区停水', description: '河西区小区停水', category: 'water-outage', district: 'hexi' });
    for (let i = 0; i < 5; i++) await put(1, { title: '楼道燃气异味', description: `和平区楼道燃气异味${i}`, category: 'gas-fault', district: 'heping' });
    const hard = await put(1, { title: '管线归属不明', description: '燃气管线归属不明', category: 'gas-fault', district: 'heping' }, { unit_code: 'city-management', hard_case_at: noon(1), hard_case_reason: '两次以上退单，职责不清' });
    await ds.query("INSERT INTO order_history (order_no, step, actor, note, detail, occurred_at) VALUES (?, 'hard-case', 'hub', '疑难件', '{}', ?)", [hard, noon(1)]);
    await put(3, { title: '燃气表故障', description: '燃气表不走字', category: 'gas-fault', district: 'hexi' }, { status: 'dispatched', unit_code: 'gas-group', due_at: noon(2) });
    await ds.query('DELETE FROM outbox');
  } finally {
    await ds.destroy();
  }
  // Two processes, their digest hour come (China's hour now): they race for yesterday's digest.
  const hour = String(new Date(Date.now() + 8 * 3_600_000).getUTCHours());
  for (let i = 0; i < 2; i++) {
    hubs.push(await startHub(loadConfig({ ...process.env, HUB_ENGINE: 'zeebe', PORT: String(await freePort()), SMTP_URL: `smtp://127.0.0.1:${mail.port}`, OUTBOX_POLL_MS: '100', DEMO_KEYS: 'false', DIGEST_HOUR: hour, DIGEST_SWEEP_MS: '200', ...(i === 1 ? { HUB_ROLES: 'workers' } : {}) }), createLogger('error')));
  }
}, 240_000);
afterAll(async () => {
  for (const h of hubs) await h.close();
  await mail?.close();
});

describe('the daily digest', { timeout: 120_000 }, () => {
  it('is made once between two processes from yesterday\'s orders against four weeks, mailed once to the duty leader, and read through the API', async () => {
    const base = `${hubs[0]!.url}/api/v1`;
    type Surge = { key: string; today: number; usual: number };
    type D = { day: string; volume: { today: number; usual: number }; categories: Surge[]; districts: Surge[]; terms: Surge[]; hardCases: Array<{ orderNo: string; reason: string }>; overdue: { total: number }; unitsInTrouble: Array<{ unit: string; overdue: number }>; text: string };
    await expect.poll(async () => ((await (await fetch(`${base}/digests`, { headers: bearer(keys.role.supervisor) })).json()) as { days: string[] }).days, { timeout: 60_000, interval: 300 }).toEqual([yesterday]);
    const d = (await (await fetch(`${base}/digests/${yesterday}`, { headers: bearer(keys.role.supervisor) })).json()) as D;
    expect(d.volume.today).toBe(7);
    expect(d.categories.map((c) => [c.key, c.today])).toEqual([['gas-fault', 6]]);
    expect(d.districts.map((c) => [c.key, c.today])).toEqual([['heping', 6]]);
    expect(d.terms.map((t) => t.key)).toContain('异味');
    expect(d.terms.map((t) => t.key), 'as usual: not a surge').not.toContain('停水');
    expect(d.hardCases).toEqual([expect.objectContaining({ reason: '两次以上退单，职责不清' })]);
    expect(d.overdue.total).toBe(1);
    expect(d.unitsInTrouble).toEqual([expect.objectContaining({ unit: '市燃气集团', overdue: 1 })]);
    expect(d.text).toContain('二、明显增多的诉求：燃气故障 6件（平日 0）');
    await expect.poll(() => mail.byRef.get(`digest:${yesterday}`) ?? [], { timeout: 30_000, interval: 200 }).toEqual([catalog.centre.dutyLeaderEmail]);
    await new Promise((r) => setTimeout(r, 1000));
    expect(mail.byRef.get(`digest:${yesterday}`), 'once, whichever process made it').toHaveLength(1);
    expect((await fetch(`${base}/digests`, { headers: bearer(keys.unit['gas-group']!) })).status).toBe(403);
    expect((await fetch(`${base}/digests/2020-01-01`, { headers: bearer(keys.role.supervisor) })).status).toBe(404);
  });

  it('is shown on the console\'s 摘报 page', async () => {
    const page = await signIn(chromium.browser, hubs[0]!.url!, keys.role.supervisor);
    await page.click('#nav a[href="#/digest"]');
    await page.waitForSelector('#digest-text');
    expect(await page.textContent('h2')).toContain(yesterday);
    expect(await page.textContent('#digest-text')).toContain('明显增多的诉求：燃气故障');
    await shot(page, 'digest');
    expect(page.errors).toEqual([]);
    await page.close();
  });
});
