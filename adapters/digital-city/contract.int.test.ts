/**
 * The digital city management adapter's contract, on the real stack (Zeebe, Kafka, MySQL) with the
 * simulator speaking the system's protocol over HTTP: an order goes there as a case and comes back
 * closed through its lifecycle, its 处置 and 结案 photos kept on the order as the unit's links; the system down, down for too long (dead letter, replay), slow,
 * busy, answering twice and out of order; a redelivered event reaches the system once.
 */
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { Partitioners } from 'kafkajs';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unitTopics } from '../../domain/events.js';
import { loadConfig, projectRoot } from '../../infra/config.js';
import { createDataSource, openDataSource } from '../../infra/db/data-source.js';
import { createKafka } from '../../infra/kafka.js';
import { metrics } from '../../infra/metrics.js';
import { useEngineHub, useKeysAndMail } from '../../test/support/engine-hub.js';
import { freePort, sleep } from '../../test/support/harness.js';
import { DigitalCitySimulator } from './simulator.js';

interface Order {
  status: string;
  externalRefs: Array<{ system: string; id: string }>;
  history: Array<{ step: string; note: string }>;
}

const fx = useKeysAndMail();
const env: Record<string, string> = {};
let sim: DigitalCitySimulator;
let ds: DataSource;
beforeAll(async () => {
  const callbackPort = await freePort();
  const token = randomUUID();
  sim = new DigitalCitySimulator({ callback: `http://127.0.0.1:${callbackPort}`, token, stepMs: 100 });
  const url = await sim.start();
  Object.assign(env, {
    ADAPTERS: 'digital-city',
    ADAPTER_DIGITAL_CITY_URL: url,
    ADAPTER_DIGITAL_CITY_CALLBACK_PORT: String(callbackPort),
    ADAPTER_DIGITAL_CITY_CALLBACK_TOKEN: token,
    ADAPTER_DIGITAL_CITY_GROUP_ID: `test-dcm-${randomUUID()}`,
    ADAPTER_DIGITAL_CITY_TIMEOUT_MS: '1000',
    ADAPTER_DIGITAL_CITY_RETRY_INITIAL_MS: '200',
    ADAPTER_DIGITAL_CITY_RETRY_MAX_MS: '1000',
    ADAPTER_DIGITAL_CITY_MAX_ATTEMPTS: '6',
  });
  ds = await openDataSource(createDataSource(loadConfig()));
});
const h = useEngineHub('zeebe', { mail: () => fx.mail, env });
afterAll(async () => {
  await sim?.stop();
  await ds?.destroy();
});

const count = (outcome: string): number => metrics.get('hub_adapter_messages_total', { adapter: 'digital-city', direction: 'out', outcome });
const order = async (orderNo: string): Promise<Order> => (await (await h.get(`/orders/${orderNo}`, fx.keys.role.supervisor)).json()) as Order;
const stepsOf = async (orderNo: string, step: string): Promise<number> => (await order(orderNo)).history.filter((x) => x.step === step).length;

/** A missing manhole cover: city management's (bpmn/dispatch.dmn), so digital city management's. */
async function manhole(title: string): Promise<string> {
  const res = await h.post('/orders', {
    channel: 'phone', type: 'help', category: 'manhole-cover', title, description: `${title}，夜间行人危险`, district: 'heping', address: '和平区南京路100号',
    citizen: { name: '城管测试', phone: '13600136000', confidential: false },
  }, fx.keys.role['call-taker']);
  expect(res.status).toBe(201);
  return ((await res.json()) as { orderNo: string }).orderNo;
}

/** The citizen is called back satisfied: the order closes (and its instance ends). */
async function callBack(orderNo: string): Promise<void> {
  await h.until(async () => (await order(orderNo)).status, 'awaiting_callback', 60_000);
  expect((await h.post(`/orders/${orderNo}/callback`, { satisfaction: 'satisfied' }, fx.keys.role['callback-agent'])).status).toBe(202);
  await h.until(async () => (await order(orderNo)).status, 'closed');
}

const deadLettersOf = async (orderNo: string): Promise<Array<{ id: string; reason: string; consumer: string }>> =>
  ((await ds.query('SELECT id, reason, consumer FROM dead_letter WHERE order_no = ? ORDER BY id', [orderNo])) as Array<{ id: number; reason: string; consumer: string }>).map((r) => ({ ...r, id: String(r.id) }));

describe('digital city management (数字城管) over HTTP+XML', { timeout: 120_000 }, () => {
  it('sends an order as one case of its 部件 code, and takes 立案/派遣/处置/核查/结案 back until the order closes', async () => {
    const orderNo = await manhole('南京路井盖缺失');
    await h.until(async () => sim.casesFor(orderNo).length, 1);
    const [c] = sim.casesFor(orderNo);
    expect(c!.report).toMatchObject({ SourceNo: orderNo, EventType: '1', MainTypeCode: '01', SubTypeCode: '01', TypeName: '上水井盖', Address: '和平区南京路100号' });
    await callBack(orderNo);
    const o = await order(orderNo);
    expect(o.externalRefs, 'its case id is kept on the order').toEqual([{ system: 'digital-city', id: c!.caseId }]);
    const steps = o.history.map((x) => x.step);
    expect(steps.filter((s) => s === 'unit-note')).toHaveLength(4);
    expect(steps).toEqual(expect.arrayContaining(['dispatch', 'acknowledge', 'reply', 'callback', 'close']));
    expect(o.history.find((x) => x.step === 'unit-note')!.note).toContain(`案卷号 ${c!.caseId}`);
    expect(o.history.find((x) => x.step === 'reply')!.note).toContain('市城市管理委员会');
    expect(sim.taken.get(c!.caseId)).toEqual(['立案', '派遣', '处置', '核查', '结案']);

    // 处置前 and 处置后: links the centre and the unit see, the 结案 one with the reply; never fetched.
    const photos = [...sim.photosOf(c!.caseId, '处置'), ...sim.photosOf(c!.caseId, '结案')];
    for (const key of [fx.keys.role.supervisor, fx.keys.unit['city-management']!]) {
      const files = ((await (await h.get(`/orders/${orderNo}/attachments`, key)).json()) as { attachments: Array<{ url: string; kind: string; unit: string; name: string; replyId: string | null }> }).attachments;
      expect(files.map((f) => f.url)).toEqual(photos);
      expect(files.every((f) => f.kind === 'reply' && f.unit === 'city-management')).toBe(true);
      expect(files.map((f) => f.name)).toEqual(['before.jpg', 'after.jpg']);
      expect(files[1]!.replyId, 'the 结案 photo goes with the reply').not.toBeNull();
    }
    expect(sim.photoRequests, 'the hub never fetches a photo').toBe(0);
  });

  it('keeps trying while the system is down, and makes one case once it is back', async () => {
    await sim.down();
    const retried = count('retried');
    const orderNo = await manhole('南市街井盖破损');
    await h.until(async () => count('retried') > retried, true);
    await sim.up();
    await h.until(async () => sim.casesFor(orderNo).length, 1);
    await callBack(orderNo);
    expect(sim.casesFor(orderNo)).toHaveLength(1);
    expect(await deadLettersOf(orderNo)).toEqual([]);
  });

  it('dead-letters an order the system stays down for, with the reason, and sends it once replayed', async () => {
    await sim.down();
    const orderNo = await manhole('小白楼井盖缺失');
    await h.until(async () => (await deadLettersOf(orderNo)).length, 1, 60_000);
    const [letter] = await deadLettersOf(orderNo);
    expect(letter).toMatchObject({ consumer: 'digital-city' });
    expect(letter!.reason).toMatch(/failed 6 times: .*not reached/);
    await sim.up();
    const run = spawnSync(process.execPath, ['--import', 'tsx', path.join(projectRoot, 'hub/cli.ts'), 'dead-letters', 'replay', letter!.id], { cwd: projectRoot, env: process.env, encoding: 'utf8', timeout: 60_000 });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain(`${letter!.id} replayed`);
    await h.until(async () => sim.casesFor(orderNo).length, 1);
    await callBack(orderNo);
  });

  it('takes a slow answer\'s retry as the same case, and a busy answer as a reason to try again', async () => {
    sim.slowMs = 1500; // past the adapter's 1000 ms
    const before = sim.reportsReceived;
    const slow = await manhole('滨江道井盖松动');
    await h.until(async () => sim.reportsReceived > before, true);
    sim.slowMs = 0;
    sim.busy = 2;
    const busy = await manhole('营口道井盖异响');
    await callBack(slow);
    await callBack(busy);
    expect(sim.casesFor(slow), 'the retry of a slow report got the same case').toHaveLength(1);
    expect(sim.casesFor(busy)).toHaveLength(1);
    expect(sim.busy).toBe(0);
  });

  it('applies each notice once when the system sends everything twice', async () => {
    sim.twice = true;
    try {
      const orderNo = await manhole('西康路井盖缺失');
      await h.until(async () => sim.casesFor(orderNo).length, 1);
      const { caseId } = sim.casesFor(orderNo)[0]!;
      await h.until(async () => sim.taken.get(caseId)?.length, 10);
      await callBack(orderNo);
      expect(await stepsOf(orderNo, 'acknowledge')).toBe(1);
      expect(await stepsOf(orderNo, 'reply')).toBe(1);
      expect(await stepsOf(orderNo, 'unit-note')).toBe(4);
    } finally {
      sim.twice = false;
    }
  });

  it('takes notices out of order: the close first, a late 立案 dropped, nothing dead-lettered', async () => {
    sim.reversed = true;
    try {
      const orderNo = await manhole('成都道井盖缺失');
      await h.until(async () => sim.casesFor(orderNo).length, 1);
      const { caseId } = sim.casesFor(orderNo)[0]!;
      await h.until(async () => sim.taken.get(caseId), ['结案', '核查', '处置', '派遣', '立案']);
      await callBack(orderNo);
      expect(await stepsOf(orderNo, 'reply')).toBe(1);
      expect(await stepsOf(orderNo, 'acknowledge'), 'a 立案 after the reply has nothing left to acknowledge').toBe(0);
      expect(await deadLettersOf(orderNo)).toEqual([]);
    } finally {
      sim.reversed = false;
    }
  });

  it('sends a redelivered event to the system no second time; without the record of it, the system\'s own ids keep it to one case', async () => {
    const orderNo = await manhole('大沽路井盖缺失');
    await h.until(async () => sim.casesFor(orderNo).length, 1);
    await callBack(orderNo);
    const [row] = (await ds.query("SELECT payload FROM outbox WHERE aggregate_key = ? AND channel = 'kafka' ORDER BY seq LIMIT 1", [orderNo])) as Array<{ payload: string }>;
    const kafka = createKafka(h.config, 'test-redelivery');
    const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    try {
      const redeliver = () => producer.send({ topic: unitTopics('city-management').dispatched, messages: [{ key: orderNo, value: row!.payload }] });
      const reports = sim.reportsReceived;
      const duplicates = count('duplicate');
      await redeliver();
      await h.until(async () => count('duplicate'), duplicates + 1);
      expect(sim.reportsReceived, 'a delivered event is not sent again').toBe(reports);
      // As if the adapter had crashed between the call and its record of it.
      await ds.query("DELETE FROM adapter_delivery WHERE adapter = 'digital-city' AND order_no = ?", [orderNo]);
      await redeliver();
      await h.until(async () => sim.reportsReceived, reports + 1);
      await sleep(500);
      expect(sim.casesFor(orderNo), 'the system took the repeat as the case it has').toHaveLength(1);
    } finally {
      await producer.disconnect();
    }
  });

  it('counts what it did under its own name, for an operator\'s scrape', async () => {
    const res = await fetch(`${h.hub.url}/metrics`, { headers: { authorization: `Bearer ${fx.keys.role.operator}` } });
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toMatch(/^hub_adapter_messages_total\{adapter="digital-city",direction="out",outcome="delivered"\} [1-9]\d*$/m);
    expect(text).toMatch(/^hub_adapter_messages_total\{adapter="digital-city",direction="in",outcome="forwarded"\} [1-9]\d*$/m);
  });

  it('refuses a notice without the agreed token', async () => {
    const res = await fetch(`http://127.0.0.1:${env.ADAPTER_DIGITAL_CITY_CALLBACK_PORT}/dcm/notify`, { method: 'POST', headers: { 'content-type': 'text/xml' }, body: '<CaseNotice/>' });
    expect(res.status).toBe(401);
  });
});
