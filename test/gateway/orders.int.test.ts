import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import net from 'node:net';
import path from 'node:path';
import { SMTPServer } from 'smtp-server';
import { Partitioners } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, projectRoot } from '../../infra/config.js';
import { envelope, TOPICS, unitTopics } from '../../domain/events.js';
import { startHub, type RunningHub } from '../../hub/compose.js';
import { createKafka, ensureTopics } from '../../infra/kafka.js';
import { hubTopics } from '../../adapters/registry.js';
import { loadCatalog } from '../../domain/catalog.js';
import { ERROR_TEXT, type ApiErrorCode } from '../../domain/text.js';
import { createLogger } from '../../infra/log.js';
import { bearer, makeKeys, type TestKeys } from '../support/keys.js';

// The whole walking skeleton: HTTP gateway, workers, outbox relay, Kafka, the unit-system
// simulator as its own process, a real SMTP server, Zeebe and MySQL from the stack.
const freePort = (): Promise<number> =>
  new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });

const mails: Array<{ to: string; raw: string }> = [];
let smtp: SMTPServer;
let hub: RunningHub;
let simulator: ChildProcess;
let base: string;
let keys: TestKeys;
let smtpPort: number;

beforeAll(async () => {
  keys = await makeKeys();
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, session, cb) {
      let raw = '';
      stream.on('data', (c: Buffer) => (raw += c.toString('utf8')));
      stream.on('end', () => {
        mails.push({ to: session.envelope.rcptTo.map((r) => r.address).join(','), raw });
        cb();
      });
    },
  });
  smtpPort = await freePort();
  await new Promise<void>((r) => smtp.listen(smtpPort, '127.0.0.1', () => r()));
  // The hub creates the units' topics when it starts; the simulator starts first here, so make them now.
  const config = loadConfig();
  await ensureTopics(createKafka(config, `topics-${randomUUID()}`), [...hubTopics(loadCatalog(path.resolve(projectRoot, config.CATALOG_FILE))), TOPICS.deadLetter]);
  simulator = spawn(process.execPath, ['--import', 'tsx', path.join(projectRoot, 'adapters/unit-system/simulator.ts'), '--units', 'water-group', '--delay-ms', '200', '--group', `sim-${randomUUID()}`], {
    cwd: projectRoot,
    env: process.env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    simulator.stdout!.on('data', (c: Buffer) => c.toString().includes('simulator ready') && resolve());
    simulator.once('exit', (code) => reject(new Error(`simulator exited with ${code}`)));
  });
}, 120_000);

afterAll(async () => {
  if (simulator && simulator.exitCode === null) {
    simulator.kill('SIGTERM');
    await new Promise((r) => simulator.once('exit', r));
  }
  await new Promise<void>((r) => smtp.close(() => r()));
});

/** Posts as a call-taker unless another key is given. */
const post = (p: string, body: unknown, headers: Record<string, string> = {}, token = keys.role['call-taker']) =>
  fetch(`${base}${p}`, { method: 'POST', headers: { 'content-type': 'application/json', ...bearer(token), ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });
const reply = (unit: string, orderNo: string, body: unknown, headers: Record<string, string> = {}) => post(`/orders/${orderNo}/reply`, body, headers, keys.unit[unit]);
const callback = (orderNo: string, body: unknown, headers: Record<string, string> = {}) => post(`/orders/${orderNo}/callback`, body, headers, keys.role['callback-agent']);
const get = (p: string, token = keys.role.supervisor) => fetch(`${base}${p}`, { headers: bearer(token) });
const getOrder = async (orderNo: string) => (await (await get(`/orders/${orderNo}`)).json()) as { status: string; dueAt: string | null; unit: { code: string } | null; redoCount: number; history: Array<{ step: string; actor: string; at: string; note: string }> };
const statusOf = async (orderNo: string) => (await getOrder(orderNo)).status;

const request = (over: Record<string, unknown> = {}) => ({
  channel: 'phone',
  type: 'help',
  category: 'water-outage',
  title: '小区停水',
  description: '河西区友谊路小区停水一天，无通知',
  district: 'hexi',
  address: '河西区友谊路1号',
  urgent: false,
  citizen: { name: '赵六', phone: '13600136000', confidential: true },
  unitSummary: '河西区友谊路一带小区停水一天，请核实恢复供水时间',
  ...over,
});

async function register(over: Record<string, unknown> = {}): Promise<string> {
  const res = await post('/orders', request(over));
  expect(res.status).toBe(201);
  const body = (await res.json()) as { orderNo: string; link: string };
  expect(body.link).toBe(`/api/v1/orders/${body.orderNo}`);
  return body.orderNo;
}

// The same orders end to end on both process engines: the models, workers and messages are one.
describe.each(['zeebe', 'camunda7'] as const)('walking skeleton over HTTP, Kafka and e-mail, on %s', (engine) => {
  beforeAll(async () => {
    const config = loadConfig({ ...process.env, HUB_ENGINE: engine, PORT: String(await freePort()), SMTP_URL: `smtp://127.0.0.1:${smtpPort}`, OUTBOX_POLL_MS: '100', DEMO_KEYS: 'false' });
    hub = await startHub(config, createLogger(process.env.TEST_LOG ?? 'warn'));
    base = `${hub.url}/api/v1`;
  }, 120_000);
  afterAll(async () => {
    await hub?.close();
  });

  it('answers a consultation at once and closes it, with the whole history', async () => {
    const orderNo = await register({ type: 'consultation', category: 'policy-consult' });
    await expect.poll(() => statusOf(orderNo), { timeout: 20_000 }).toBe('closed');
    expect((await getOrder(orderNo)).history.map((h) => h.step)).toEqual(['accept', 'classify', 'answer', 'close']);
  });

  it('dispatches over Kafka, takes the simulator\'s reply, mails the unit without the confidential citizen, and closes after the callback', async () => {
    const orderNo = await register();
    await expect.poll(() => statusOf(orderNo), { timeout: 30_000 }).toBe('awaiting_callback');
    const order = await getOrder(orderNo);
    expect(order.unit?.code).toBe('water-group');
    expect(order.history.find((h) => h.step === 'reply')?.actor).toBe('unit:water-group');

    const forOrder = () => mails.find((m) => m.raw.includes(`X-Hotline-Order-No: ${orderNo}`));
    await expect.poll(forOrder, { timeout: 10_000 }).toBeDefined();
    const mail = forOrder()!;
    expect(mail.to).toBe('water-group@units.example.invalid');
    const body = Buffer.from(mail.raw.split(/\r?\n\r?\n/).slice(1).join(''), 'base64').toString('utf8');
    expect(body).toContain(orderNo);
    expect(body).toContain('诉求人要求保密');
    expect(body).not.toMatch(/赵六|13600136000/);
    expect(body, 'a confidential request reaches the unit as the call-taker\'s summary').toContain('请核实恢复供水时间');
    expect(body, 'the raw description and exact address stay at the centre').not.toMatch(/友谊路1号|无通知/);

    const cb = await callback(orderNo, { satisfaction: 'satisfied' });
    expect(cb.status).toBe(202);
    await expect.poll(() => statusOf(orderNo), { timeout: 20_000 }).toBe('closed');
    expect((await getOrder(orderNo)).history.map((h) => h.step)).toEqual([
      'accept', 'classify', 'dispatch', 'reply', 'review', 'callback-requested', 'callback', 'close',
    ]);
  });

  it('sends an order back to the unit once when the citizen is unsatisfied, then closes', async () => {
    const orderNo = await register({ category: 'gas-fault', citizen: { name: '钱七', phone: '13500135000', confidential: false } });
    for (const round of [1, 2]) {
      await expect.poll(() => statusOf(orderNo), { timeout: 20_000 }).toBe('dispatched');
      const replied = await reply('gas-group', orderNo, { result: `第${round}次处理：已更换阀门`, handledBy: '燃气抢修班' });
      expect(replied.status).toBe(202);
      await expect.poll(() => statusOf(orderNo), { timeout: 20_000 }).toBe('awaiting_callback');
      expect((await callback(orderNo, { satisfaction: 'unsatisfied', note: '仍有异味' })).status).toBe(202);
    }
    await expect.poll(() => statusOf(orderNo), { timeout: 20_000 }).toBe('closed');
    const order = await getOrder(orderNo);
    expect(order.redoCount).toBe(1);
    expect(order.history.filter((h) => h.step === 'dispatch')).toHaveLength(2);
    expect(order.history.filter((h) => h.step === 'redo')).toHaveLength(1);
  });

  it('gives an urgent order a 30-minute deadline on the same path', async () => {
    const orderNo = await register({ category: 'noise', district: 'heping', urgent: true });
    await expect.poll(() => statusOf(orderNo), { timeout: 20_000 }).toBe('dispatched');
    const order = await getOrder(orderNo);
    const dispatchedAt = Date.parse(order.history.find((h) => h.step === 'dispatch')!.at);
    expect(Date.parse(order.dueAt!) - dispatchedAt).toBeGreaterThan(29 * 60_000);
    expect(Date.parse(order.dueAt!) - dispatchedAt).toBeLessThanOrEqual(30 * 60_000 + 1000);
    expect((await reply('heping-gov', orderNo, { result: '已到场处置', handledBy: '街道值班' })).status).toBe(202);
    await expect.poll(() => statusOf(orderNo), { timeout: 20_000 }).toBe('awaiting_callback');
    expect((await callback(orderNo, { satisfaction: 'basically-satisfied' })).status).toBe(202);
    await expect.poll(() => statusOf(orderNo), { timeout: 20_000 }).toBe('closed');
  });

  it('returns the same order for a repeated Idempotency-Key and starts no second process', async () => {
    const key = randomUUID();
    const first = await post('/orders', request({ category: 'policy-consult' }), { 'Idempotency-Key': key });
    const again = await post('/orders', request({ category: 'policy-consult' }), { 'Idempotency-Key': key });
    expect(first.status).toBe(201);
    expect(again.status).toBe(200);
    const a = (await first.json()) as { orderNo: string };
    expect(((await again.json()) as { orderNo: string }).orderNo).toBe(a.orderNo);
    await expect.poll(() => statusOf(a.orderNo), { timeout: 20_000 }).toBe('closed');
    expect((await getOrder(a.orderNo)).history.filter((h) => h.step === 'classify')).toHaveLength(1);
    expect((await post('/orders', request({ title: '不同的诉求' }), { 'Idempotency-Key': key })).status).toBe(409);
  });

  it('answers a repeated reply or callback as the first one was, and refuses a second callback of the same round', async () => {
    const orderNo = await register({ category: 'gas-fault', citizen: { name: '孙八', phone: '13400134000', confidential: false } });
    await expect.poll(() => statusOf(orderNo), { timeout: 20_000 }).toBe('dispatched');
    const replyKey = 'r'.repeat(128); // the longest key the API takes fits the dedup columns
    const send = () => reply('gas-group', orderNo, { result: '已处理', handledBy: '燃气抢修班' }, { 'Idempotency-Key': replyKey });
    const first = await send();
    expect(first.status).toBe(202);
    expect(await first.json()).toMatchObject({ repeated: false });
    const again = await send();
    expect(again.status).toBe(202);
    expect(await again.json()).toMatchObject({ repeated: true });
    await expect.poll(() => statusOf(orderNo), { timeout: 20_000 }).toBe('awaiting_callback');
    const sendCallback = () => callback(orderNo, { satisfaction: 'satisfied' }, { 'Idempotency-Key': 'cb-1' });
    expect((await sendCallback()).status).toBe(202);
    const repeated = await sendCallback();
    expect(repeated.status, 'a retried callback that already succeeded').toBe(202);
    expect(await repeated.json()).toMatchObject({ repeated: true });
    const other = await callback(orderNo, { satisfaction: 'unsatisfied' });
    expect(other.status, 'a second, different callback of the same round').toBe(409);
    await expect.poll(() => statusOf(orderNo), { timeout: 20_000 }).toBe('closed');
    const steps = (await getOrder(orderNo)).history.map((h) => h.step);
    expect(steps.filter((s) => s === 'reply')).toHaveLength(1);
    expect(steps.filter((s) => s === 'callback')).toHaveLength(1);
  });

  it('classifies to a leaf of the category tree: a group is refused, a category no dispatch rule names goes by its district\'s rule', async () => {
    const catalog = (await (await get('/catalog')).json()) as { categorySource: string; categoryTree: Array<{ code: string; children: Array<{ code: string }> }> };
    expect(catalog.categorySource).toMatch(/GB\/T 39666-2020/);
    expect(catalog.categoryTree.find((n) => n.code === 'public-utilities')?.children.map((c) => c.code)).toContain('power-outage');
    const group = await post('/orders', request({ category: 'public-utilities' }));
    expect(group.status).toBe(422);
    expect(((await group.json()) as { error: { message: string } }).error.message).toMatch(/is a group; classify the request to one of its categories: water-outage, gas-fault/);
    const orderNo = await register({ category: 'power-outage', district: 'nankai' });
    await expect.poll(() => statusOf(orderNo), { timeout: 20_000 }).toBe('dispatched');
    expect((await getOrder(orderNo)).unit?.code, 'the district fallback of bpmn/dispatch.dmn').toBe('nankai-gov');
  });

  it('answers bad input with a 4xx JSON error and writes nothing', async () => {
    const count = async () => Number((await hub.store.ds.query('SELECT (SELECT COUNT(*) FROM work_order) + (SELECT COUNT(*) FROM order_history) AS n'))[0].n);
    const before = await count();
    const cases: Array<[string, Promise<Response>, number, string]> = [
      ['malformed JSON', post('/orders', '{"channel": "phone",'), 400, 'MALFORMED_JSON'],
      ['missing fields', post('/orders', { channel: 'phone' }), 400, 'VALIDATION_FAILED'],
      ['wrong field type', post('/orders', request({ urgent: 'yes' })), 400, 'VALIDATION_FAILED'],
      ['unknown field', post('/orders', request({ priority: 9 })), 400, 'VALIDATION_FAILED'],
      ['unknown category', post('/orders', request({ category: 'ufo-sighting' })), 422, 'UNKNOWN_CATEGORY'],
      ['unknown district', post('/orders', request({ district: 'atlantis' })), 422, 'UNKNOWN_DISTRICT'],
      ['oversize body', post('/orders', request({ description: '长'.repeat(70_000) })), 413, 'BODY_TOO_LARGE'],
      ['unknown order', get('/orders/GD20990101999999'), 404, 'ORDER_NOT_FOUND'],
      ['malformed order number', get('/orders/nonsense'), 404, 'ORDER_NOT_FOUND'],
      ['reply to an unknown order', reply('water-group', 'GD20990101999999', { result: 'x', handledBy: 'y' }), 404, 'ORDER_NOT_FOUND'],
      ['callback with a bad satisfaction', callback('GD20990101999999', { satisfaction: 'meh' }), 400, 'VALIDATION_FAILED'],
      ['confidential request without a unit summary', post('/orders', request({ unitSummary: undefined })), 400, 'VALIDATION_FAILED'],
      ['complaint about a unit not in the catalog', post('/orders', request({ complainedUnit: 'nobody' })), 422, 'UNKNOWN_UNIT'],
      ['bad Idempotency-Key', post('/orders', request(), { 'Idempotency-Key': 'x'.repeat(200) }), 400, 'BAD_IDEMPOTENCY_KEY'],
    ];
    for (const [what, pending, status, code] of cases) {
      const res = await pending;
      expect(res.status, what).toBe(status);
      const { error } = (await res.json()) as { error: { code: string; message: string; text: string } };
      expect(error.code, what).toBe(code);
      // The staff read the refusal in Chinese: the code's one sentence (domain/text.ts).
      expect(error.text, what).toBe(ERROR_TEXT[code as ApiErrorCode]);
      expect(error.text, what).toMatch(/[\u4e00-\u9fff]/);
    }
    expect(await count()).toBe(before);
  });

  it('keeps an unparseable, misplaced or impersonating unit reply for an operator and announces it on the dead-letter topic without its content', async () => {
    const kafka = createKafka(loadConfig(), `dlq-test-${randomUUID()}`);
    const consumer = kafka.consumer({ groupId: `dlq-test-${randomUUID()}` });
    const seen: Array<{ id: string; value: string; reason: string }> = [];
    await consumer.connect();
    // From now on only: the topic outlives databases, so an old notice may carry a reused id.
    await consumer.subscribe({ topic: TOPICS.deadLetter, fromBeginning: false });
    const joined = new Promise<void>((r) => consumer.on(consumer.events.GROUP_JOIN, () => r()));
    await consumer.run({ eachMessage: async ({ message }) => void seen.push({ id: message.headers?.['dlq-id']?.toString() ?? '', value: message.value?.toString() ?? '', reason: message.headers?.['dlq-reason']?.toString() ?? '' }) });
    await joined;
    await new Promise((r) => setTimeout(r, 1000)); // a joined group starts from the latest offset once it has fetched it
    const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    const marker = randomUUID();
    const phone = '13812345678';
    const ghost = envelope('unit.replied', 'GD20990101999999', { unit: 'water-group', result: `无此工单 ${marker}`, handledBy: '测试', repliedAt: new Date().toISOString() }, 'test');
    const impostor = envelope('unit.replied', 'GD20990101999998', { unit: 'gas-group', result: `冒名 ${marker}`, handledBy: '测试', repliedAt: new Date().toISOString() }, 'test');
    await producer.send({
      topic: unitTopics('water-group').replied,
      messages: [{ key: 'x', value: `not json ${marker} 诉求人电话 ${phone}` }, { key: 'y', value: JSON.stringify(ghost) }, { key: 'z', value: JSON.stringify(impostor) }],
    });
    await producer.disconnect();
    try {
      // The messages themselves are kept, whole, in the database.
      type Kept = { id: string; message_value: string; reason: string; order_no: string | null };
      const kept = async () => (await hub.store.ds.query('SELECT id, message_value, reason, order_no FROM dead_letter WHERE message_value LIKE ? ORDER BY id', [`%${marker}%`])) as Kept[];
      await expect.poll(async () => (await kept()).length, { timeout: 30_000 }).toBe(3);
      const rows = await kept();
      const rowOf = (needle: string) => rows.find((r) => r.message_value.includes(needle))!;
      expect(rowOf('not json').reason).toMatch(/not JSON/);
      expect(rowOf(ghost.id).reason).toMatch(/GD20990101999999 does not exist/);
      expect(rowOf(impostor.id).reason).toMatch(/claims to come from gas-group/);
      expect(rowOf(impostor.id).order_no).toBe('GD20990101999998');
      // The topic carries a reference, the order number and the reason: no content, no phone.
      await expect.poll(() => rows.every((r) => seen.some((s) => s.id === r.id)), { timeout: 30_000 }).toBe(true);
      for (const r of rows) {
        const notice = seen.find((s) => s.id === r.id)!;
        expect(notice.value).not.toContain(marker);
        expect(notice.value + notice.reason).not.toContain(phone);
        expect(JSON.parse(notice.value)).toMatchObject({ deadLetterId: r.id, orderNo: r.order_no, source: { topic: unitTopics('water-group').replied } });
      }
    } finally {
      await consumer.disconnect();
    }
  });
});
