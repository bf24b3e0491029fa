/**
 * 紧急联动 on both engines, with the linkage platform's simulator over HTTP: an emergency found at
 * intake is handed to its line within seconds with the location and the caller's number, and
 * ends transferred once the line acknowledges; a line that does not acknowledge in time (time
 * moved past the DMN's limit) gets the duty leader alerted and the hand-over made again; an unclear
 * matter goes where the three-way call decided, and stays with 12345 when it stayed unclear.
 * The platform down, slow, sending everything twice and late; a redelivered hand-over made once.
 * The other way, 110's transfers to 12345 go through the transfer list (bpmn/transfer-in.dmn): one
 * becomes an order once however often 110 sends it, one not on the list goes back with the reason.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useEngineHub, useKeysAndMail } from '../../test/support/engine-hub.js';
import { freePort } from '../../test/support/harness.js';
import { Partitioners } from 'kafkajs';
import { partnerTopics } from '../../domain/events.js';
import { createKafka } from '../../infra/kafka.js';
import { metrics } from '../../infra/metrics.js';
import { LinkageSimulator } from './simulator.js';

interface Order {
  status: string;
  externalRefs: Array<{ system: string; id: string }>;
  history: Array<{ step: string; note: string }>;
}

const fx = useKeysAndMail();

describe.each(['zeebe', 'camunda7'] as const)('emergency linkage on %s', { timeout: 180_000 }, (engine) => {
  const env: Record<string, string> = {};
  let sim: LinkageSimulator;
  beforeAll(async () => {
    const callbackPort = await freePort();
    const token = randomUUID();
    sim = new LinkageSimulator({ callback: `http://127.0.0.1:${callbackPort}`, token, ackDelayMs: 300 });
    Object.assign(env, {
      ADAPTERS: 'emergency-linkage',
      ADAPTER_EMERGENCY_LINKAGE_URL: await sim.start(),
      ADAPTER_EMERGENCY_LINKAGE_CALLBACK_PORT: String(callbackPort),
      ADAPTER_EMERGENCY_LINKAGE_CALLBACK_TOKEN: token,
      ADAPTER_EMERGENCY_LINKAGE_GROUP_ID: `test-linkage-${randomUUID()}`,
      ADAPTER_EMERGENCY_LINKAGE_TIMEOUT_MS: '1000',
      ADAPTER_EMERGENCY_LINKAGE_RETRY_INITIAL_MS: '200',
      ADAPTER_EMERGENCY_LINKAGE_RETRY_MAX_MS: '1000',
      ADAPTER_EMERGENCY_LINKAGE_MAX_ATTEMPTS: '10',
    });
  });
  // An order the hotline kept is dispatched and left open: its instance goes after the block.
  const h = useEngineHub(engine, { mail: () => fx.mail, env, movesClock: true });
  afterAll(() => sim?.stop());

  const order = async (orderNo: string): Promise<Order> => (await (await h.get(`/orders/${orderNo}`, fx.keys.role.supervisor)).json()) as Order;
  const steps = async (orderNo: string) => (await order(orderNo)).history.map((x) => x.step);
  const emergency = async (title: string, kind: Record<string, string>, phone = '13612345678'): Promise<Response> =>
    h.post('/orders', { channel: 'phone', type: 'help', category: 'other', title, description: `${title}，请立即处置`, district: 'nankai', address: '南开区鞍山西道100号', citizen: { name: '紧急来电', phone, confidential: false }, emergency: kind }, fx.keys.role['call-taker']);
  const take = async (title: string, kind: Record<string, string>, phone?: string): Promise<string> => {
    const res = await emergency(title, kind, phone);
    expect(res.status).toBe(201);
    const { orderNo } = (await res.json()) as { orderNo: string };
    return orderNo;
  };

  it('hands a medical emergency to 120 at once with where and whom to call back, and ends transferred once 120 acknowledges', async () => {
    const orderNo = await take('老人在家中晕倒', { kind: 'medical' }, '13612340001');
    await h.until(async () => sim.handoversOf(orderNo).length, 1, 15_000);
    expect(sim.handoversOf(orderNo)[0]).toMatchObject({ line: '120', caseNo: orderNo, callbackNumber: '13612340001', location: '南开区鞍山西道100号', kind: 'medical', attempt: 1 });
    await h.until(async () => (await order(orderNo)).status, 'transferred');
    const o = await order(orderNo);
    expect(o.history.map((x) => x.step)).toEqual(['accept', 'hand-over', 'partner-ack', 'transferred']);
    expect(o.externalRefs).toEqual([{ system: 'medical-120', id: sim.acknowledged.get(orderNo) }]);
  });


  it('goes where the three-way call decided when it was unclear, and stays with 12345 when it stayed unclear (首接负责)', async () => {
    const toPolice = await take('邻居家传出打斗声', { kind: 'unclear', threeWayCall: 'partner-takes' });
    await h.until(async () => sim.handoversOf(toPolice).map((x) => x.line), ['110'], 15_000);
    await h.until(async () => (await order(toPolice)).status, 'transferred');
    const kept = await take('楼道堆放杂物疑似有人纵火隐患', { kind: 'unclear', threeWayCall: 'hotline-keeps' });
    await h.until(async () => (await order(kept)).status, 'dispatched');
    expect(((await order(kept)) as Order & { emergency: unknown }).emergency, 'the three-way call\'s outcome is recorded').toEqual({ kind: 'unclear', threeWayCall: 'hotline-keeps', partner: null });
    expect(sim.handoversOf(kept)).toEqual([]);
  });

  // 110转12345: the line transfers a non-emergency; the transfer list (bpmn/transfer-in.dmn) decides.
  const noise = { line: '110', item: '110-01-01', itemName: '生活噪声扰民', title: '楼上深夜装修', content: '楼上住户深夜装修，噪声扰民，非治安纠纷', location: '南开区鞍山西道100号3门', district: '南开区', callerName: '李女士', callerNumber: '13612340010' };
  const answered = async (incidentId: string) => {
    await h.until(async () => sim.answersTo(incidentId).length, 1, 30_000);
    return sim.answersTo(incidentId)[0]!;
  };
  const recorded = async (incidentId: string) => {
    const ds = h.hub.store.ds;
    const [orders] = (await ds.query('SELECT COUNT(*) AS n FROM work_order WHERE idempotency_key = ?', [`transfer:police-110:${incidentId}`])) as Array<{ n: string }>;
    const transfers = (await ds.query('SELECT accepted, reason, order_no AS orderNo, three_way_call AS threeWayCall FROM partner_transfer WHERE partner = ? AND incident_id = ?', ['police-110', incidentId])) as unknown[];
    return { orders: Number(orders!.n), transfers };
  };

  it('makes one 110 transfer an order once though 110 sends it twice, and tells 110 the order number once', async () => {
    const incidentId = sim.incidentId('110');
    expect(await Promise.all([sim.transfer({ ...noise, incidentId }), sim.transfer({ ...noise, incidentId })])).toEqual([200, 200]);
    const answer = await answered(incidentId);
    expect(answer).toMatchObject({ line: '110', incidentId, accepted: true, caseNo: expect.stringMatching(/^GD\d{14}$/) });
    const orderNo = answer.caseNo!;
    const o = (await order(orderNo)) as Order & { channel: string; category: string; type: string; citizen: { phone: string } };
    expect(o).toMatchObject({ channel: 'transfer', category: 'noise', type: 'complaint' });
    expect(o.externalRefs).toEqual([{ system: 'police-110', id: incidentId }]);
    expect(o.history[0]).toMatchObject({ step: 'accept', note: expect.stringContaining(incidentId) });
    // Sent a third time after the answer, changed: still the one order, and no second answer.
    expect(await sim.transfer({ ...noise, incidentId, content: `${noise.content}（补充）` })).toBe(200);
    await h.until(async () => (await order(orderNo)).status, 'dispatched');
    expect(await recorded(incidentId)).toEqual({ orders: 1, transfers: [{ accepted: 1, reason: '移交清单事项 110-01-01 生活噪声扰民（无治安纠纷）', orderNo, threeWayCall: null }] });
    expect(sim.answersTo(incidentId)).toHaveLength(1);
  });

  it('sends back to 110 a matter not on the transfer list, with the reason, and makes no order', async () => {
    const incidentId = sim.incidentId('110');
    await sim.transfer({ ...noise, incidentId, item: '110-99-99', itemName: '邻里纠纷（有肢体冲突）', content: '邻里纠纷' });
    expect(await answered(incidentId)).toMatchObject({ accepted: false, caseNo: null, reason: '不在移交清单，请经三方通话确认后再转' });
    expect(await recorded(incidentId)).toEqual({ orders: 0, transfers: [{ accepted: 0, reason: '不在移交清单，请经三方通话确认后再转', orderNo: null, threeWayCall: null }] });
  });

  it('takes an unlisted matter the three-way call gave to 12345, and leaves with 110 one it left unclear (首接负责), recording the call\'s outcome', async () => {
    const taken = sim.incidentId('110');
    const kept = sim.incidentId('110');
    await Promise.all([
      sim.transfer({ ...noise, incidentId: taken, item: '110-99-98', content: '小区门口积水，不清楚归谁管', threeWayCall: '12345' }),
      sim.transfer({ ...noise, incidentId: kept, item: '110-99-97', content: '商户之间纠纷', threeWayCall: 'first' }),
    ]);
    const a = await answered(taken);
    expect(a).toMatchObject({ accepted: true, reason: '三方通话确认由12345受理' });
    expect(((await order(a.caseNo!)) as Order & { category: string }).category).toBe('other');
    expect((await recorded(taken)).transfers).toEqual([{ accepted: 1, reason: '三方通话确认由12345受理', orderNo: a.caseNo, threeWayCall: 'hotline-takes' }]);
    expect(await answered(kept)).toMatchObject({ accepted: false, caseNo: null, reason: '三方通话未能明确归属，按首接负责由转出方继续办理' });
    expect((await recorded(kept)).transfers).toEqual([{ accepted: 0, reason: '三方通话未能明确归属，按首接负责由转出方继续办理', orderNo: null, threeWayCall: 'partner-keeps' }]);
  });

  it('refuses a transfer the platform sent without the caller\'s number: the platform is told at once (422), nothing is recorded', async () => {
    const incidentId = sim.incidentId('110');
    expect(await sim.transfer({ ...noise, incidentId, callerNumber: '' })).toBe(422);
    expect(await recorded(incidentId)).toEqual({ orders: 0, transfers: [] });
  });

  // The platform's faults are the adapter's to bear, whichever engine runs: tried on Zeebe.
  const count = (outcome: string): number => metrics.get('hub_adapter_messages_total', { adapter: 'emergency-linkage', direction: 'out', outcome });
  const deadLetters = async (orderNo: string): Promise<number> => Number(((await h.hub.store.ds.query('SELECT COUNT(*) AS n FROM dead_letter WHERE order_no = ?', [orderNo])) as [{ n: string }])[0].n);

  it.runIf(engine === 'zeebe')('keeps handing over while the platform is down, and hands over once when it is back', async () => {
    await sim.down();
    try {
      const retried = count('retried');
      const orderNo = await take('煤气中毒昏迷', { kind: 'medical' }, '13612340020');
      await h.until(async () => count('retried') > retried + 1, true);
      await sim.up();
      await h.until(async () => (await order(orderNo)).status, 'transferred');
      expect(sim.handoversOf(orderNo)).toHaveLength(1);
    } finally {
      await sim.up().catch(() => undefined);
    }
  });

  it.runIf(engine === 'zeebe')('takes a hand-over the platform answered too late (and was sent again) as one hand-over', async () => {
    sim.slowMs = 1500; // past the adapter's 1000 ms
    try {
      const calls = sim.handoverCalls;
      const orderNo = await take('工地有人坠落', { kind: 'medical' }, '13612340021');
      await h.until(async () => sim.handoverCalls >= calls + 2, true);
      sim.slowMs = 0;
      await h.until(async () => (await order(orderNo)).status, 'transferred');
      expect(sim.handoversOf(orderNo)).toHaveLength(1);
    } finally {
      sim.slowMs = 0;
    }
  });

  it.runIf(engine === 'zeebe')('applies an acknowledgement sent twice once, and a late one after the transfer not at all, refusing neither', async () => {
    sim.twice = true;
    try {
      const orderNo = await take('孕妇腹痛出血', { kind: 'medical' }, '13612340022');
      await h.until(async () => (await order(orderNo)).status, 'transferred');
      expect(await sim.acknowledge(orderNo, '120')).toBeTruthy(); // a second incident, late: out of order
      expect((await steps(orderNo)).filter((x) => x === 'partner-ack')).toHaveLength(1);
      expect((await order(orderNo)).status).toBe('transferred');
      expect(await deadLetters(orderNo)).toBe(0);
    } finally {
      sim.twice = false;
    }
  });

  it.runIf(engine === 'zeebe')('sends a redelivered hand-over to the platform no second time; without the record of it, the platform\'s hand-over id keeps it to one', async () => {
    const orderNo = await take('儿童误服药物', { kind: 'medical' }, '13612340023');
    await h.until(async () => (await order(orderNo)).status, 'transferred');
    const ds = h.hub.store.ds;
    const [row] = (await ds.query("SELECT payload FROM outbox WHERE aggregate_key = ? AND channel = 'kafka' ORDER BY seq LIMIT 1", [orderNo])) as Array<{ payload: string }>;
    const producer = createKafka(h.config, 'test-linkage-redelivery').producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    try {
      const redeliver = () => producer.send({ topic: partnerTopics('medical-120').handover, messages: [{ key: orderNo, value: row!.payload }] });
      const calls = sim.handoverCalls;
      const duplicates = count('duplicate');
      await redeliver();
      await h.until(async () => count('duplicate'), duplicates + 1);
      expect(sim.handoverCalls, 'a delivered hand-over is not sent again').toBe(calls);
      // As if the adapter had crashed between the call and its record of it.
      await ds.query("DELETE FROM adapter_delivery WHERE adapter = 'emergency-linkage' AND order_no = ?", [orderNo]);
      await redeliver();
      await h.until(async () => sim.handoverCalls, calls + 1);
      expect(sim.handoversOf(orderNo), 'the platform took the repeat as the hand-over it has').toHaveLength(1);
      expect((await steps(orderNo)).filter((x) => x === 'partner-ack')).toHaveLength(1);
    } finally {
      await producer.disconnect();
    }
  });

  it('refuses an unclear emergency without the three-way call\'s outcome, recording nothing', async () => {
    const res = await emergency('不清楚归属', { kind: 'unclear' });
    expect(await h.codeOf(res)).toBe('400 VALIDATION_FAILED');
  });

  // Last: it moves the engine's and the hub's clocks forward; an order made after it would carry a time in the future.
  it('alerts the duty leader and hands over again when 120 does not acknowledge in time', async () => {
    sim.silent.add('120');
    try {
      const orderNo = await take('路边有人受伤流血', { kind: 'medical' }, '13612340002');
      await h.until(async () => sim.handoversOf(orderNo).length, 1, 15_000);
      expect((await order(orderNo)).status).toBe('handed_over');
      await h.clock.advance(31_000); // past the DMN's 30 seconds for 120
      await h.until(async () => sim.handoversOf(orderNo).map((x) => x.attempt), [1, 2], 60_000);
      await h.until(async () => fx.mail.recipients.get(orderNo)?.includes('duty-leader@hotline.example.invalid') ?? false, true, 60_000);
      expect(await steps(orderNo)).toEqual(['accept', 'hand-over', 'handover-unacknowledged', 'hand-over']);
      sim.silent.delete('120');
      await sim.acknowledge(orderNo, '120');
      await h.until(async () => (await order(orderNo)).status, 'transferred');
    } finally {
      sim.silent.delete('120');
    }
  });
});
