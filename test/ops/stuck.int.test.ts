/**
 * The operators' tools on both engines, things broken on purpose on the real stack, each listed by
 * `hub stuck`, GET /api/v1/stuck and the console's stuck board (in Chromium) with its reason, then
 * mended through the CLI or the board so that the order goes on to its end (closed):
 * - a worker that fails for good (an incident), also in the order's trace; `hub retry` runs its
 *   job again once mended, recorded with who did it;
 * - a message that never reaches its instance (lost between the hub and the engine); 重发引擎消息 on
 *   the board sends it again;
 * - a poison message on a unit's topic (a dead letter); `hub dead-letters replay --value-file`
 *   sends the operator's mended copy;
 * - an e-mail parked while the mail server was down; `hub outbox replay` sends it;
 * - an adapter stopped while an order waits for it; the order reaches its system once it runs.
 * An order left in a step the process finishes by itself, a job type no worker serves, are listed.
 * An order beyond repair is cancelled with its reason.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Partitioners } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { envelope, unitTopics } from '../../domain/events.js';
import { stuckOptions } from '../../hub/operations.js';
import { loadConfig } from '../../infra/config.js';
import { createLogger } from '../../infra/log.js';
import { startHub, type RunningHub } from '../../hub/compose.js';
import { DigitalCitySimulator } from '../../adapters/digital-city/simulator.js';
import { Operations, type StuckItem, type TraceEntry } from '../../infra/db/operations.js';
import { createKafka } from '../../infra/kafka.js';
import { workers } from '../../workers/index.js';
import { useEngineHub, useKeysAndMail, type EngineHub } from '../support/engine-hub.js';
import { finishOrder, hubCli, hubCliWith, losingMessages, withBrokenClassify } from '../support/ops.js';
import { actOnStuckRow, signIn, useBrowser } from '../support/browser.js';
import { freePort, startSmtp, type Mailbox } from '../support/harness.js';

// A delivered engine message not acted on for 2 s is listed (the hubs here and the `hub` commands they run).
process.env.STUCK_MESSAGE_SECONDS = '2';
const fx = useKeysAndMail();
const chromium = useBrowser();

const statusIn = async (h: EngineHub, orderNo: string): Promise<string> => ((await (await h.get(`/orders/${orderNo}`, fx.keys.role.supervisor)).json()) as { status: string }).status;


describe.each(['zeebe', 'camunda7'] as const)('stuck and unstuck on %s', { timeout: 180_000 }, (engine) => {
  // 分类 breaks (a bad deployment of it, say) until the test mends it.
  const broken = { now: true };
  const patched = withBrokenClassify(broken);
  const lose = new Map<string, string>();
  const status = (orderNo: string) => statusIn(h, orderNo);
  const h = useEngineHub(engine, { mail: () => fx.mail, workers: patched, senders: losingMessages(lose) });
  const ops = () => new Operations(h.hub.store.ds);
  const stuckApi = async (): Promise<StuckItem[]> => {
    const res = await h.get('/stuck', fx.keys.role.operator);
    expect(res.status).toBe(200);
    return ((await res.json()) as { items: StuckItem[] }).items;
  };
  const intake = async (title: string, category = 'noise'): Promise<string> => {
    const res = await h.post('/orders', { channel: 'phone', type: 'complaint', category, title, description: `${title}，影响休息`, district: 'hexi', address: '河西区友谊路40号', urgent: false, citizen: { name: '运维测试', phone: '13500135000', confidential: false } }, fx.keys.role['call-taker']);
    expect(res.status).toBe(201);
    const { orderNo } = (await res.json()) as { orderNo: string };
    return orderNo;
  };

  it('lists a job that failed for good as an incident, in `hub stuck`, the API and the trace; `hub retry` runs it again once mended, and the order moves on', async () => {
    broken.now = true;
    const orderNo = await intake('夜间广场舞噪声');
    await h.until(async () => (await stuckApi()).some((i) => i.orderNo === orderNo && i.reason === 'incident'), true, 60_000);
    const item = (await stuckApi()).find((i) => i.orderNo === orderNo && i.reason === 'incident')!;
    expect(item.message).toContain('classify-order failed for good: ');
    expect(item.message).toContain('分类规则服务配置错误');
    expect(item.message).toContain(`hub retry ${orderNo}`);

    const cli = await hubCli(engine, 'stuck', '--json');
    expect(cli.status, cli.stderr).toBe(0);
    expect((JSON.parse(cli.stdout) as StuckItem[]).filter((i) => i.orderNo === orderNo).map((i) => i.reason)).toEqual(['incident']);
    // Left alone, the order is also one that has not moved in a step the process finishes by itself.
    const later = await ops().stuck({ ...stuckOptions(h.config), now: new Date(Date.now() + 11 * 60_000) });
    expect(later.filter((i) => i.orderNo === orderNo).map((i) => i.reason).sort()).toEqual(['incident', 'no-progress']);
    expect(await status(orderNo)).toBe('accepted');

    broken.now = false; // mended
    const retried = await hubCli(engine, 'retry', orderNo);
    expect(retried.status, retried.stderr).toBe(0);
    expect(retried.stdout).toContain('classify-order (classify-order): running again');
    await h.until(async () => status(orderNo), 'dispatched', 60_000);
    expect((await stuckApi()).filter((i) => i.orderNo === orderNo)).toEqual([]);

    const traceOf = async (): Promise<TraceEntry[]> => {
      const res = await h.get(`/orders/${orderNo}/trace`, fx.keys.role.operator);
      expect(res.status).toBe(200);
      return ((await res.json()) as { entries: TraceEntry[] }).entries;
    };
    const jobs = async () => (await traceOf()).filter((e) => e.source === 'job' || e.source === 'operator').map((e) => `${String(e.detail.component)} ${String(e.detail.kind)}`).slice(0, 3);
    // The trail is written in batches: the last job's entry may come a moment after the status.
    await h.until(jobs, ['classify-order incident', 'classify-order operator', 'classify-order job-completed']);
    const trace = await traceOf();
    expect(trace.find((e) => e.source === 'operator')!.what).toMatch(/^retry by cli:/);
    expect(trace.some((e) => e.source === 'outbox' && e.detail.channel === 'kafka' && e.detail.state === 'sent'), 'the dispatch to the unit went out').toBe(true);
    const audit = (await h.hub.store.ds.query("SELECT action, outcome FROM audit_log WHERE target = ? AND action = 'cli retry'", [orderNo])) as Array<{ action: string; outcome: string }>;
    expect(audit).toEqual([{ action: 'cli retry', outcome: '1/1 retried' }]);
    const remoteRetry = await hubCliWith({ HUB_ENGINE: engine, HUB_URL: h.hub.url!, HUB_API_KEY: fx.keys.role.operator, DATABASE_URL: 'mysql://nobody@127.0.0.1:9/nothing' }, 'retry', orderNo);
    expect(remoteRetry.stdout, remoteRetry.stderr).toContain('has no open incident');
    await finishOrder(h, fx.keys, orderNo);
  });

  it('lists a message that never reached its instance; 重发引擎消息 on the stuck board sends it again, and the order goes on to its end', async () => {
    const orderNo = await intake('楼上装修噪声');
    await h.until(async () => status(orderNo), 'dispatched', 60_000);
    const unit = ((await (await h.get(`/orders/${orderNo}`, fx.keys.role.supervisor)).json()) as { unit: { code: string } }).unit.code;
    lose.set(orderNo, 'unit-response'); // the unit's answer is lost on its way to the engine
    const res = await h.post(`/orders/${orderNo}/reply`, { result: '已责令施工方调整时间', handledBy: '运维测试' }, fx.keys.unit[unit]!);
    expect(res.status).toBe(202);
    await h.until(async () => lose.has(orderNo), false);
    const waiting = async () => (await stuckApi()).filter((i) => i.orderNo === orderNo && i.reason === 'message-waiting');
    await h.until(async () => (await waiting()).length, 1, 30_000);
    const [item] = await waiting();
    expect(item!.message).toMatch(new RegExp(`^message "unit-response" went to the engine at .+ and the process has not acted on it: .+ hub outbox republish ${String(item!.ref.outboxId)}$`));
    // From an operator's machine: `hub stuck` through the API with an operator's key, no database.
    const cli = await hubCliWith({ HUB_ENGINE: engine, HUB_URL: h.hub.url!, HUB_API_KEY: fx.keys.role.operator, DATABASE_URL: 'mysql://nobody@127.0.0.1:9/nothing' }, 'stuck', '--json');
    expect(cli.status, cli.stderr).toBe(0);
    expect((JSON.parse(cli.stdout) as StuckItem[]).filter((i) => i.orderNo === orderNo).map((i) => i.reason)).toEqual(['message-waiting']);

    const page = await signIn(chromium.browser, h.hub.url!, fx.keys.role.operator);
    await actOnStuckRow(page, h.hub.url!, orderNo, 'message-waiting', { press: true, contains: 'unit-response', shot: `stuck-message-waiting-${engine}` });
    expect(page.errors).toEqual([]);
    await page.close();
    await finishOrder(h, fx.keys, orderNo);
    expect(await waiting()).toEqual([]);
  });

  it('cancels an order beyond repair with its reason: its instance ends, its tasks leave the lists, it is no longer stuck', async () => {
    broken.now = true;
    const orderNo = await intake('测试来电，无需办理');
    await h.until(async () => (await stuckApi()).some((i) => i.orderNo === orderNo && i.reason === 'incident'), true, 60_000);
    broken.now = false;
    const refused = await hubCli(engine, 'cancel', orderNo, '--reason', ' ');
    expect(refused.status).not.toBe(0);
    const cli = await hubCli(engine, 'cancel', orderNo, '--reason', '话务员误建的测试工单', '--json');
    expect(cli.status, cli.stderr).toBe(0);
    expect(JSON.parse(cli.stdout)).toMatchObject({ orderNo, instance: 'cancelled' });
    const o = (await (await h.get(`/orders/${orderNo}`, fx.keys.role.supervisor)).json()) as { status: string; history: Array<{ step: string; note: string }> };
    expect(o.status).toBe('cancelled');
    expect(o.history.at(-1)).toMatchObject({ step: 'cancel', note: '已撤销：话务员误建的测试工单' });
    // The process is gone: nothing of it runs again, and nothing of the order is stuck.
    expect((await stuckApi()).filter((i) => i.orderNo === orderNo)).toEqual([]);
    const again = await h.post(`/orders/${orderNo}/cancel`, { reason: '再次撤销' }, fx.keys.role.operator);
    expect(await h.codeOf(again)).toBe('409 ORDER_DONE');
    const audit = (await h.hub.store.ds.query("SELECT outcome FROM audit_log WHERE target = ? AND action = 'cli cancel'", [orderNo])) as Array<{ outcome: string }>;
    expect(audit).toEqual([{ outcome: 'cancelled (instance cancelled)' }]);
  });

  it.runIf(engine === 'zeebe')('lists a poison message on a unit\'s topic as a dead letter; the operator\'s mended copy, replayed, takes the order to its end', async () => {
    const orderNo = await intake('自来水停水', 'water-outage');
    await h.until(async () => status(orderNo), 'dispatched', 60_000);
    const producer = createKafka(h.config, 'test-poison').producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    try {
      await producer.send({ topic: unitTopics('water-group').replied, messages: [{ key: orderNo, value: `{"orderNo":"${orderNo}","type":"unit.replied","payload":` }] });
    } finally {
      await producer.disconnect();
    }
    await h.until(async () => (await stuckApi()).some((i) => i.orderNo === orderNo && i.reason === 'dead-letter'), true);
    const dl = (await stuckApi()).find((i) => i.orderNo === orderNo && i.reason === 'dead-letter')!;
    expect(dl.message).toMatch(/^hub refused a message from hub\.unit\.water-group\.unit-replied\.v1: \[EVENT_INVALID\] not JSON\. Fix the cause, then: hub dead-letters replay \d+$/);
    const page = await signIn(chromium.browser, h.hub.url!, fx.keys.role.operator);
    await actOnStuckRow(page, h.hub.url!, orderNo, 'dead-letter', { press: false, contains: 'EVENT_INVALID', shot: 'stuck-dead-letter' });

    const id = String(dl.ref.deadLetterId);
    const shown = await hubCli(engine, 'dlq', 'show', id);
    expect(shown.status, shown.stderr).toBe(0);
    expect(shown.stdout.trim()).toBe(`{"orderNo":"${orderNo}","type":"unit.replied","payload":`);
    const mended = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'dlq-')), 'mended.json');
    fs.writeFileSync(mended, 'still not json');
    expect((await hubCli(engine, 'dlq', 'replay', id, '--value-file', mended)).stderr).toContain('the corrected message is not JSON');
    fs.writeFileSync(mended, JSON.stringify(envelope('unit.replied', orderNo, { unit: 'water-group', result: '管道已抢修，恢复供水', handledBy: '水务集团调度', repliedAt: new Date().toISOString() }, 'water-group-system')));
    const replayed = await hubCli(engine, 'dlq', 'replay', id, '--value-file', mended);
    expect(replayed.status, replayed.stderr).toBe(0);
    await h.until(async () => status(orderNo), 'replied', 60_000);
    expect((await stuckApi()).filter((i) => i.orderNo === orderNo)).toEqual([]);
    await page.click('#stuck-refresh');
    await page.waitForSelector('#stuck tbody tr');
    expect(await page.locator(`#stuck tr[data-order="${orderNo}"]`).count()).toBe(0);
    expect(page.errors).toEqual([]);
    await page.close();
    await finishOrder(h, fx.keys, orderNo);
  });

  it.runIf(engine === 'zeebe')('lists a job type the models use that no worker serves', async () => {
    const served = Object.keys(workers).filter((t) => t !== 'alert-emergency');
    const items = await ops().stuck({ ...stuckOptions(h.config), servedTypes: served });
    expect(items.filter((i) => i.reason === 'no-worker').map((i) => i.ref.jobType)).toEqual(['alert-emergency']);
    expect((await ops().stuck(stuckOptions(h.config))).filter((i) => i.reason === 'no-worker')).toEqual([]);
  });
});

describe('a parked e-mail on zeebe', { timeout: 180_000 }, () => {
  // The centre's mail server is down: the e-mail to the unit is tried a few times, then parked.
  let smtpPort = 0;
  let smtp: Mailbox | undefined;
  const env: Record<string, string> = {};
  beforeAll(async () => {
    smtpPort = await freePort();
    Object.assign(env, { SMTP_URL: `smtp://127.0.0.1:${smtpPort}`, OUTBOX_MAX_ATTEMPTS: '3', OUTBOX_RETRY_INITIAL_MS: '100', OUTBOX_RETRY_MAX_MS: '300', SMTP_TIMEOUT_MS: '1000' });
  });
  const h = useEngineHub('zeebe', { mail: () => fx.mail, env });
  afterAll(async () => {
    await smtp?.close();
  });

  it('lists the parked e-mail with the reason and the replay command; `hub outbox replay` sends it once the server is back', async () => {
    const res = await h.post('/orders', { channel: 'web', type: 'complaint', category: 'noise', title: '夜间施工噪声', description: '夜间施工噪声，影响休息', district: 'hexi', address: '河西区友谊路41号', urgent: false, citizen: { name: '邮件测试', phone: '13500135001', confidential: false } }, fx.keys.role['call-taker']);
    expect(res.status).toBe(201);
    const { orderNo } = (await res.json()) as { orderNo: string };
    const parked = async () => (await new Operations(h.hub.store.ds).stuck(stuckOptions(h.config))).filter((i) => i.orderNo === orderNo && i.reason === 'parked');
    await h.until(async () => (await parked()).length > 0, true, 60_000);
    const [item] = await parked();
    expect(item!.ref.channel).toBe('email');
    expect(item!.message).toMatch(new RegExp(`^email message given up after 3 attempts: .+\\. Fix the channel, then: hub outbox replay ${String(item!.ref.outboxId)}$`));

    const page = await signIn(chromium.browser, h.hub.url!, fx.keys.role.operator);
    await actOnStuckRow(page, h.hub.url!, orderNo, 'parked', { press: false, contains: `hub outbox replay ${String(item!.ref.outboxId)}`, shot: 'stuck-parked' });
    await page.close();
    smtp = await startSmtp(smtpPort); // the server is back
    const cli = await hubCli('zeebe', 'outbox', 'replay', String(item!.ref.outboxId));
    expect(cli.status, cli.stderr).toBe(0);
    await h.until(async () => smtp!.byOrder.get(orderNo) ?? 0, 1, 60_000);
    await h.until(async () => (await parked()).length, 0);
    await finishOrder(h, fx.keys, orderNo);
  });
});

describe('a stopped adapter on zeebe', { timeout: 180_000 }, () => {
  // Digital city management's adapter runs in a process of its own, which the test stops and starts.
  let sim: DigitalCitySimulator;
  const groupId = `adapter.digital-city.test-${randomUUID()}`;
  let adapterEnv: Record<string, string> = {};
  let adapters: RunningHub | undefined;
  const startAdapters = async (): Promise<RunningHub> =>
    startHub(loadConfig({ ...process.env, ...adapterEnv, HUB_ENGINE: 'zeebe', HUB_ROLES: 'adapters', PORT: String(await freePort()), SMTP_URL: '', DEMO_KEYS: 'false' }), createLogger('error'));
  beforeAll(async () => {
    const callbackPort = await freePort();
    const token = randomUUID();
    sim = new DigitalCitySimulator({ callback: `http://127.0.0.1:${callbackPort}`, token, stepMs: 100 });
    adapterEnv = { ADAPTERS: 'digital-city', ADAPTER_DIGITAL_CITY_URL: await sim.start(), ADAPTER_DIGITAL_CITY_CALLBACK_PORT: String(callbackPort), ADAPTER_DIGITAL_CITY_CALLBACK_TOKEN: token, ADAPTER_DIGITAL_CITY_GROUP_ID: groupId };
    adapters = await startAdapters(); // its first start: the group reads from now on
  });
  const h = useEngineHub('zeebe', { mail: () => fx.mail });
  const status = (orderNo: string) => statusIn(h, orderNo);
  afterAll(async () => {
    await adapters?.close();
    await sim?.stop();
  });

  it('lists the adapter as not running while an order waits for it, and the order reaches the system once it runs again', async () => {
    await adapters!.close();
    adapters = undefined;
    const res = await h.post('/orders', { channel: 'phone', type: 'help', category: 'manhole-cover', title: '适配器停止时的井盖缺失', description: '井盖缺失，夜间危险', district: 'heping', address: '和平区南京路120号', urgent: false, citizen: { name: '运维测试', phone: '13500135002', confidential: false } }, fx.keys.role['call-taker']);
    expect(res.status).toBe(201);
    const { orderNo } = (await res.json()) as { orderNo: string };
    await h.until(async () => status(orderNo), 'dispatched');
    const kafka = createKafka(h.config, 'test-stuck-consumers');
    const stopped = async () => (await new Operations(h.hub.store.ds).stuck(stuckOptions(h.config, undefined, kafka))).filter((i) => i.reason === 'consumer-stopped' && i.ref.groupId === groupId);
    await h.until(async () => (await stopped()).length, 1);
    expect((await stopped())[0]!.message).toBe(`adapter digital-city is not running (group ${groupId}, Empty): 1 message(s) wait on hub.unit.city-management.order-dispatched.v1; start it: ADAPTERS=digital-city npm start`);
    const cli = await hubCli('zeebe', 'stuck', '--json');
    expect(cli.status, cli.stderr).toBe(0);
    expect((JSON.parse(cli.stdout) as StuckItem[]).some((i) => i.reason === 'consumer-stopped' && i.ref.groupId === groupId)).toBe(true);
    const page = await signIn(chromium.browser, h.hub.url!, fx.keys.role.operator);
    await actOnStuckRow(page, h.hub.url!, '', 'consumer-stopped', { press: false, contains: groupId, shot: 'stuck-consumer-stopped' });
    await page.close();

    adapters = await startAdapters();
    await h.until(async () => sim.casesFor(orderNo).length, 1, 60_000);
    await h.until(async () => (await stopped()).length, 0);
    // Digital city management handles the case to its end (the simulator's steps); the citizen is called back: closed.
    await h.until(async () => status(orderNo), 'awaiting_callback', 60_000);
    expect((await h.post(`/orders/${orderNo}/callback`, { satisfaction: 'satisfied' }, fx.keys.role['callback-agent'])).status).toBe(202);
    await h.until(async () => status(orderNo), 'closed');
  });
});
