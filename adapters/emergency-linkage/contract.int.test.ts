/**
 * 紧急联动 on both engines, with the linkage platform's simulator over HTTP: an emergency found at
 * intake is handed to its line within seconds with the location and the caller's number, and
 * ends transferred once the line acknowledges; a line that does not acknowledge in time (time
 * moved past the DMN's limit) gets the duty leader alerted and the hand-over made again; an unclear
 * matter goes where the three-way call decided, and stays with 12345 when it stayed unclear.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { useEngineHub, useKeysAndMail } from '../../test/support/engine-hub.js';
import { freePort } from '../../test/support/harness.js';
import { cancelOrders } from '../../test/support/instances.js';
import { LinkageSimulator } from './simulator.js';

interface Order {
  status: string;
  externalRefs: Array<{ system: string; id: string }>;
  history: Array<{ step: string; note: string }>;
}

vi.setConfig({ testTimeout: 180_000 });
const fx = useKeysAndMail();

describe.each(['zeebe', 'camunda7'] as const)('emergency linkage on %s', (engine) => {
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
    });
  });
  const made: string[] = [];
  // An order the hotline kept is dispatched and left open: its instance goes after the block.
  const h = useEngineHub(engine, { mail: () => fx.mail, env, cleanup: ({ hub, config }) => cancelOrders(hub.store.ds, config, engine, made) });
  afterAll(() => sim?.stop());

  const order = async (orderNo: string): Promise<Order> => (await (await h.get(`/orders/${orderNo}`, fx.keys.role.supervisor)).json()) as Order;
  const steps = async (orderNo: string) => (await order(orderNo)).history.map((x) => x.step);
  const emergency = async (title: string, kind: Record<string, string>, phone = '13612345678'): Promise<Response> =>
    h.post('/orders', { channel: 'phone', type: 'help', category: 'other', title, description: `${title}，请立即处置`, district: 'nankai', address: '南开区鞍山西道100号', citizen: { name: '紧急来电', phone, confidential: false }, emergency: kind }, fx.keys.role['call-taker']);
  const take = async (title: string, kind: Record<string, string>, phone?: string): Promise<string> => {
    const res = await emergency(title, kind, phone);
    expect(res.status).toBe(201);
    const { orderNo } = (await res.json()) as { orderNo: string };
    made.push(orderNo);
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

  it('goes where the three-way call decided when it was unclear, and stays with 12345 when it stayed unclear (首接负责)', async () => {
    const toPolice = await take('邻居家传出打斗声', { kind: 'unclear', threeWayCall: 'partner-takes' });
    await h.until(async () => sim.handoversOf(toPolice).map((x) => x.line), ['110'], 15_000);
    await h.until(async () => (await order(toPolice)).status, 'transferred');
    const kept = await take('楼道堆放杂物疑似有人纵火隐患', { kind: 'unclear', threeWayCall: 'hotline-keeps' });
    await h.until(async () => (await order(kept)).status, 'dispatched');
    expect(((await order(kept)) as Order & { emergency: unknown }).emergency, 'the three-way call\'s outcome is recorded').toEqual({ kind: 'unclear', threeWayCall: 'hotline-keeps', partner: null });
    expect(sim.handoversOf(kept)).toEqual([]);
  });

  it('refuses an unclear emergency without the three-way call\'s outcome, recording nothing', async () => {
    const res = await emergency('不清楚归属', { kind: 'unclear' });
    expect(await h.codeOf(res)).toBe('400 VALIDATION_FAILED');
  });
});
