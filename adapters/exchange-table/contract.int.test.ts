/**
 * The exchange-table adapter's contract on the real stack (Zeebe, Kafka, MySQL) against a unit's
 * own database (made by the simulator on the local server, reached through its proxy): the unit
 * returns one order and answers another until it closes; the unit's database down and slow; an
 * answer written twice, answers out of order, rows the hub cannot take; a redelivered order
 * written once.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { Partitioners } from 'kafkajs';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unitTopics } from '../../domain/events.js';
import { loadConfig } from '../../infra/config.js';
import { createDataSource, openDataSource } from '../../infra/db/data-source.js';
import { createKafka } from '../../infra/kafka.js';
import { metrics } from '../../infra/metrics.js';
import { useEngineHub, useKeysAndMail } from '../../test/support/engine-hub.js';
import { taskFor } from '../../test/support/tasks.js';
import { ExchangeTableSimulator } from './simulator.js';

interface Order {
  status: string;
  history: Array<{ step: string; note: string }>;
}

const fx = useKeysAndMail();
const env: Record<string, string> = {};
let sim: ExchangeTableSimulator;
let ds: DataSource;
beforeAll(async () => {
  const db = new URL(loadConfig().DATABASE_URL);
  db.pathname = '';
  sim = new ExchangeTableSimulator(db.toString(), `unit_exchange_test_${randomBytes(3).toString('hex')}`);
  Object.assign(env, {
    ADAPTERS: 'exchange-table',
    ADAPTER_EXCHANGE_TABLE_DATABASE_URL: await sim.start(),
    ADAPTER_EXCHANGE_TABLE_POLL_MS: '200',
    ADAPTER_EXCHANGE_TABLE_TIMEOUT_MS: '1000',
    ADAPTER_EXCHANGE_TABLE_GROUP_ID: `test-exchange-${randomUUID()}`,
    ADAPTER_EXCHANGE_TABLE_RETRY_INITIAL_MS: '200',
    ADAPTER_EXCHANGE_TABLE_RETRY_MAX_MS: '1000',
    ADAPTER_EXCHANGE_TABLE_MAX_ATTEMPTS: '8',
  });
  ds = await openDataSource(createDataSource(loadConfig()));
});
// The returned order waits for a dispatcher: its instance goes after the file.
const h = useEngineHub('zeebe', { mail: () => fx.mail, env });
afterAll(async () => {
  await sim?.stop({ drop: true });
  await ds?.destroy();
});

const count = (outcome: string): number => metrics.get('hub_adapter_messages_total', { adapter: 'exchange-table', direction: 'out', outcome });
const order = async (orderNo: string): Promise<Order> => (await (await h.get(`/orders/${orderNo}`, fx.keys.role.supervisor)).json()) as Order;
const stepsOf = async (orderNo: string, step: string): Promise<number> => (await order(orderNo)).history.filter((x) => x.step === step).length;
const states = async (orderNo: string): Promise<string[]> => (await sim.answers(orderNo)).map((a) => a.CLZT);

/** A gas fault, not urgent: the gas company's (bpmn/dispatch.dmn), written into its exchange table. */
async function gasFault(title: string): Promise<string> {
  const res = await h.post('/orders', {
    channel: 'phone', type: 'help', category: 'gas-fault', title, description: `${title}，请派人检查`, district: 'hexi', address: '河西区友谊路20号',
    citizen: { name: '燃气测试', phone: '13900139001', confidential: false },
  }, fx.keys.role['call-taker']);
  expect(res.status).toBe(201);
  const { orderNo } = (await res.json()) as { orderNo: string };
  await h.until(async () => (await sim.orders(orderNo)).length, 1);
  return orderNo;
}

async function callBack(orderNo: string): Promise<void> {
  await h.until(async () => (await order(orderNo)).status, 'awaiting_callback', 60_000);
  expect((await h.post(`/orders/${orderNo}/callback`, { satisfaction: 'satisfied' }, fx.keys.role['callback-agent'])).status).toBe(202);
  await h.until(async () => (await order(orderNo)).status, 'closed');
}

describe('a unit system behind an exchange table (中间库)', { timeout: 120_000 }, () => {
  it('returns one order, and later acknowledges and answers another until it closes', async () => {
    const returned = await gasFault('燃气表漏气');
    const [row] = await sim.orders(returned);
    expect(row).toMatchObject({ GDBH: returned, LC: 1, BT: '燃气表漏气', DZ: '河西区友谊路20号', LXDH: '13900139001' });
    await sim.answer(returned, { kind: '4', text: '该户为物业自管管道，非本公司产权，请转物业' });
    await h.until(async () => (await order(returned)).status, 'returned');
    const task = await taskFor(h.base, fx.keys.role.dispatcher, returned, 'redispatch');
    expect(task.detail).toMatchObject({ returnedBy: 'gas-group', reason: '该户为物业自管管道，非本公司产权，请转物业' });

    const answered = await gasFault('燃气灶打不着火');
    await sim.answer(answered, { kind: '1' });
    await sim.answer(answered, { kind: '2', text: '维修人员已出发' });
    await sim.answer(answered, { kind: '3', text: '已更换燃气灶点火器，试用正常', by: '王师傅' });
    await callBack(answered);
    expect(await stepsOf(answered, 'acknowledge')).toBe(1);
    expect((await order(answered)).history.find((x) => x.step === 'unit-note')!.note).toContain('维修人员已出发');
    expect(await states(answered)).toEqual(['1', '1', '1']);
  });

  it('keeps writing while the unit\'s database is down, and reads its answers once it is back', async () => {
    await sim.down();
    const retried = count('retried');
    const res = await h.post('/orders', { channel: 'phone', type: 'help', category: 'gas-fault', title: '中间库停机时派单', description: '燃气压力低', district: 'hexi', address: '河西区友谊路21号', citizen: { name: '燃气测试', phone: '13900139002', confidential: false } }, fx.keys.role['call-taker']);
    const { orderNo } = (await res.json()) as { orderNo: string };
    await h.until(async () => count('retried') > retried, true);
    await sim.up();
    await h.until(async () => (await sim.orders(orderNo)).length, 1);
    await sim.answer(orderNo, { kind: '3', text: '已调压，压力恢复正常' });
    await callBack(orderNo);
  });

  it('writes an order once when the database answers too late and the write is tried again', async () => {
    sim.slowMs = 1500; // past the adapter's 1000 ms
    const retried = count('retried');
    const res = await h.post('/orders', { channel: 'phone', type: 'help', category: 'gas-fault', title: '中间库缓慢时派单', description: '燃气表走字快', district: 'hexi', address: '河西区友谊路22号', citizen: { name: '燃气测试', phone: '13900139003', confidential: false } }, fx.keys.role['call-taker']);
    const { orderNo } = (await res.json()) as { orderNo: string };
    await h.until(async () => count('retried') > retried, true);
    sim.slowMs = 0;
    await h.until(async () => (await sim.orders(orderNo)).length, 1);
    await sim.answer(orderNo, { kind: '3', text: '已校验燃气表' });
    await callBack(orderNo);
    expect(await sim.orders(orderNo)).toHaveLength(1);
  });

  it('applies an answer the unit wrote twice once, and answers out of order without refusing any', async () => {
    const orderNo = await gasFault('燃气管道异味');
    await sim.answer(orderNo, { kind: '3', text: '已紧固接口，无泄漏', fkbh: 'FK-TWICE-1', at: '2026-11-26 21:00:00' });
    await sim.answer(orderNo, { kind: '3', text: '已紧固接口，无泄漏', fkbh: 'FK-TWICE-1', at: '2026-11-26 21:00:00' });
    await sim.answer(orderNo, { kind: '1', at: '2026-11-26 20:00:00' }); // the acknowledgement, written after the result
    await h.until(() => states(orderNo), ['1', '1', '1']);
    await callBack(orderNo);
    expect(await stepsOf(orderNo, 'reply')).toBe(1);
    expect(await stepsOf(orderNo, 'acknowledge'), 'a 签收 after the result has nothing left to acknowledge').toBe(0);
    expect(Number(((await ds.query('SELECT COUNT(*) AS n FROM dead_letter WHERE order_no = ?', [orderNo])) as Array<{ n: number | string }>)[0]!.n)).toBe(0);
  });

  it('marks a row it cannot take refused with the reason, and takes the unit\'s corrected row', async () => {
    const orderNo = await gasFault('燃气热水器故障');
    await sim.answer(orderNo, { kind: '3', text: '已修好', fkbh: null });
    await sim.answer(orderNo, { kind: '5', text: '需厂家配件，申请延期' });
    await sim.answer(orderNo, { kind: '5', text: '需厂家配件，申请延期', until: '2026-12-20 18:00:00' });
    await h.until(async () => (await sim.answers(orderNo)).map((a) => a.CLZT), ['2', '2', '1']);
    const [noId, noDate] = await sim.answers(orderNo);
    expect(noId!.CLSM).toMatch(/no FKBH/);
    expect(noDate!.CLSM).toMatch(/延期申请 needs YQSJ/);
    await h.until(async () => (await order(orderNo)).status, 'extension_requested');
    const task = await taskFor(h.base, fx.keys.role.supervisor, orderNo, 'extension-approval');
    expect(task.detail).toMatchObject({ unit: 'gas-group', dueAt: '2026-12-20T10:00:00.000Z' });
    expect((await h.post(`/tasks/${task.id}/complete`, { kind: 'extension-approval', approved: true }, fx.keys.role.supervisor)).status).toBe(200);
    await sim.answer(orderNo, { kind: '3', text: '已更换热水器主板' });
    await callBack(orderNo);
  });

  it('writes a redelivered order no second time, even without its record of the first', async () => {
    const orderNo = await gasFault('燃气报警器误报');
    const recorded = async (): Promise<number> => Number(((await ds.query("SELECT COUNT(*) AS n FROM adapter_delivery WHERE adapter = 'exchange-table' AND order_no = ?", [orderNo])) as Array<{ n: number | string }>)[0]!.n);
    await h.until(recorded, 1);
    const [row] = (await ds.query("SELECT payload FROM outbox WHERE aggregate_key = ? AND channel = 'kafka' ORDER BY seq LIMIT 1", [orderNo])) as Array<{ payload: string }>;
    const producer = createKafka(h.config, 'test-redelivery').producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    try {
      const duplicates = count('duplicate');
      await producer.send({ topic: unitTopics('gas-group').dispatched, messages: [{ key: orderNo, value: row!.payload }] });
      await h.until(async () => count('duplicate'), duplicates + 1);
      await ds.query("DELETE FROM adapter_delivery WHERE adapter = 'exchange-table' AND order_no = ?", [orderNo]);
      const delivered = count('delivered');
      await producer.send({ topic: unitTopics('gas-group').dispatched, messages: [{ key: orderNo, value: row!.payload }] });
      await h.until(async () => count('delivered'), delivered + 1);
      expect(await sim.orders(orderNo), 'INSERT IGNORE on SJID: written once').toHaveLength(1);
    } finally {
      await producer.disconnect();
    }
    await sim.answer(orderNo, { kind: '3', text: '已更换报警器电池' });
    await callBack(orderNo);
  });
});
