/**
 * End to end, one hub running every integration at once (ADAPTERS=digital-city,exchange-table,
 * emergency-linkage, and Open311 intake), each against its system's simulator over a real
 * connection, on the real Zeebe, Kafka and MySQL: one order goes to digital city management and
 * comes back closed; one emergency is handed to 120 and acknowledged, and one is not, which alerts
 * the duty leader; one 110 transfer becomes an order once though sent twice; one unit system
 * returns an order and later answers another; one Open311 request becomes an order whose status
 * the Open311 read shows. The adapters share the hub's producer, relay and inbound reader: each
 * must get only its own systems' events. Every event the hub and its adapters put on Kafka meanwhile
 * matches the AsyncAPI document the hub serves (its channel, and its event's JSON Schema).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DigitalCitySimulator } from '../../adapters/digital-city/simulator.js';
import { LinkageSimulator } from '../../adapters/emergency-linkage/simulator.js';
import { ExchangeTableSimulator } from '../../adapters/exchange-table/simulator.js';
import type { Consumer } from 'kafkajs';
import { loadConfig } from '../../infra/config.js';
import { createKafka } from '../../infra/kafka.js';
import { problems, validator } from '../support/json-schema.js';
import { useEngineHub, useKeysAndMail } from '../support/engine-hub.js';
import { freePort } from '../support/harness.js';
import { taskFor } from '../support/tasks.js';

interface Order {
  status: string;
  channel: string;
  category: string;
  externalRefs: Array<{ system: string; id: string }>;
  history: Array<{ step: string; note: string }>;
}

const fx = useKeysAndMail();
const env: Record<string, string> = {};
let city: DigitalCitySimulator;
let linkage: LinkageSimulator;
let exchange: ExchangeTableSimulator;
beforeAll(async () => {
  const [cityPort, linkagePort] = [await freePort(), await freePort()];
  const [cityToken, linkageToken] = [randomUUID(), randomUUID()];
  city = new DigitalCitySimulator({ callback: `http://127.0.0.1:${cityPort}`, token: cityToken, stepMs: 100 });
  linkage = new LinkageSimulator({ callback: `http://127.0.0.1:${linkagePort}`, token: linkageToken, ackDelayMs: 300 });
  const db = new URL(loadConfig().DATABASE_URL);
  db.pathname = '';
  exchange = new ExchangeTableSimulator(db.toString(), `unit_exchange_e2e_${randomBytes(3).toString('hex')}`);
  const run = randomUUID();
  Object.assign(env, {
    ADAPTERS: 'digital-city,exchange-table,emergency-linkage',
    ADAPTER_DIGITAL_CITY_URL: await city.start(),
    ADAPTER_DIGITAL_CITY_CALLBACK_PORT: String(cityPort),
    ADAPTER_DIGITAL_CITY_CALLBACK_TOKEN: cityToken,
    ADAPTER_DIGITAL_CITY_GROUP_ID: `test-e2e-dcm-${run}`,
    ADAPTER_EXCHANGE_TABLE_DATABASE_URL: await exchange.start(),
    ADAPTER_EXCHANGE_TABLE_POLL_MS: '200',
    ADAPTER_EXCHANGE_TABLE_GROUP_ID: `test-e2e-exchange-${run}`,
    ADAPTER_EMERGENCY_LINKAGE_URL: await linkage.start(),
    ADAPTER_EMERGENCY_LINKAGE_CALLBACK_PORT: String(linkagePort),
    ADAPTER_EMERGENCY_LINKAGE_CALLBACK_TOKEN: linkageToken,
    ADAPTER_EMERGENCY_LINKAGE_GROUP_ID: `test-e2e-linkage-${run}`,
  });
});
// Orders left open (returned, dispatched to units no simulator answers for) lose their instances after the file.
const h = useEngineHub('zeebe', { mail: () => fx.mail, env, movesClock: true });
afterAll(async () => {
  await Promise.allSettled([city?.stop(), linkage?.stop(), exchange?.stop({ drop: true })]);
});

// Every event on the units' and emergency lines' topics from this file's start on (the lane's Kafka
// is this file's while it runs): checked against the AsyncAPI document at the end.
const seen: Array<{ topic: string; value: string }> = [];
let reader: Consumer | undefined;
beforeAll(async () => {
  const since = Date.now();
  const kafka = createKafka(h.config, 'test-asyncapi');
  const admin = kafka.admin();
  await admin.connect();
  const topics = (await admin.listTopics()).filter((t) => /^hub\.(unit|partner)\./.test(t));
  await admin.disconnect();
  reader = kafka.consumer({ groupId: `test-asyncapi-${randomUUID()}` });
  await reader.connect();
  await reader.subscribe({ topics, fromBeginning: true });
  await reader.run({ eachMessage: async ({ topic, message }) => void (Number(message.timestamp) >= since && seen.push({ topic, value: message.value?.toString() ?? '' })) });
});
afterAll(async () => {
  await reader?.disconnect();
});

const order = async (orderNo: string): Promise<Order> => (await (await h.get(`/orders/${orderNo}`, fx.keys.role.supervisor)).json()) as Order;
const intake = async (body: Record<string, unknown>): Promise<string> => {
  const res = await h.post('/orders', { channel: 'phone', type: 'help', urgent: false, ...body, citizen: { name: '联调测试', phone: '13600136001', confidential: false, ...(body.citizen as object) } }, fx.keys.role['call-taker']);
  expect(res.status).toBe(201);
  const { orderNo } = (await res.json()) as { orderNo: string };
  return orderNo;
};
const callBack = async (orderNo: string): Promise<void> => {
  await h.until(async () => (await order(orderNo)).status, 'awaiting_callback', 60_000);
  expect((await h.post(`/orders/${orderNo}/callback`, { satisfaction: 'satisfied' }, fx.keys.role['callback-agent'])).status).toBe(202);
  await h.until(async () => (await order(orderNo)).status, 'closed');
};

describe('every integration in one hub', { timeout: 180_000 }, () => {
  it('sends an order to digital city management, and it comes back closed', async () => {
    const orderNo = await intake({ category: 'manhole-cover', title: '联调：井盖缺失', description: '南京路井盖缺失，夜间危险', district: 'heping', address: '和平区南京路101号' });
    await h.until(async () => city.casesFor(orderNo).length, 1);
    await callBack(orderNo);
    const caseId = city.casesFor(orderNo)[0]!.caseId;
    expect((await order(orderNo)).externalRefs).toEqual([{ system: 'digital-city', id: caseId }]);
    expect(city.taken.get(caseId)).toEqual(['立案', '派遣', '处置', '核查', '结案']);
    expect(await exchange.orders(orderNo), 'the gas company\'s exchange table never sees it').toEqual([]);
  });


  it('makes one 110 transfer an order once though 110 sends it twice', async () => {
    const incidentId = linkage.incidentId('110');
    const t = { line: '110', incidentId, item: '110-05-01', title: '联调：小区停水', content: '小区整栋楼停水一天，无人告知', location: '河西区友谊路30号', callerNumber: '13600136003' };
    expect(await linkage.transfer(t)).toBe(200);
    expect(await linkage.transfer(t)).toBe(200);
    await h.until(async () => linkage.answersTo(incidentId).length, 1);
    const orderNo = linkage.answersTo(incidentId)[0]!.caseNo!;
    expect(await order(orderNo)).toMatchObject({ channel: 'transfer', category: 'water-outage', externalRefs: [{ system: 'police-110', id: incidentId }] });
    const [{ n }] = (await h.hub.store.ds.query('SELECT COUNT(*) AS n FROM work_order WHERE idempotency_key = ?', [`transfer:police-110:${incidentId}`])) as [{ n: string }];
    expect(Number(n)).toBe(1);
    await h.until(async () => (await order(orderNo)).status, 'dispatched');
    expect(linkage.answersTo(incidentId)).toHaveLength(1);
    // To the end: once closed, 110 is told how, with the unit's answer.
    expect((await h.post(`/orders/${orderNo}/reply`, { result: '已恢复供水，停水原因为主管线抢修', handledBy: '供水所' }, fx.keys.unit['water-group']!)).status).toBe(202);
    await callBack(orderNo);
    await h.until(async () => linkage.resultsOf(incidentId).length, 1);
    expect(linkage.resultsOf(incidentId)[0]).toMatchObject({ line: '110', caseNo: orderNo, outcome: 'closed', result: '已恢复供水，停水原因为主管线抢修', unitName: '市水务集团', satisfaction: 'satisfied' });
  });

  it('has the gas company\'s system return one order, and later answer another until it closes', async () => {
    const returned = await intake({ category: 'gas-fault', title: '联调：燃气表漏气', description: '燃气表漏气，请派人检查', district: 'hexi', address: '河西区友谊路31号' });
    await h.until(async () => (await exchange.orders(returned)).length, 1);
    await exchange.answer(returned, { kind: '4', text: '该户为物业自管管道，非本公司产权' });
    await h.until(async () => (await order(returned)).status, 'returned');
    expect((await taskFor(h.base, fx.keys.role.dispatcher, returned, 'redispatch')).detail).toMatchObject({ returnedBy: 'gas-group' });

    const answered = await intake({ category: 'gas-fault', title: '联调：燃气灶打不着火', description: '燃气灶打不着火，请派人检查', district: 'hexi', address: '河西区友谊路32号' });
    await h.until(async () => (await exchange.orders(answered)).length, 1);
    await exchange.answer(answered, { kind: '1' });
    await exchange.answer(answered, { kind: '3', text: '已更换点火器，试用正常', by: '王师傅' });
    await callBack(answered);
    expect(city.casesFor(answered), 'digital city management never sees it').toEqual([]);
  });

  it('takes an Open311 request as an order whose status the Open311 read shows', async () => {
    const key = encodeURIComponent(fx.keys.role.integration);
    const res = await fetch(`${h.hub.url}/open311/v2/requests.json`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ api_key: fx.keys.role.integration, service_code: 'manhole', address_string: '和平区南京路103号', lat: '39.1205', long: '117.2031', description: '联调：人行道井盖松动', media_url: 'https://img.example.invalid/reports/9001.jpg', first_name: '小红', last_name: '李', phone: '13712345001' }).toString(),
    });
    expect(res.status).toBe(201);
    const orderNo = ((await res.json()) as Array<{ service_request_id: string }>)[0]!.service_request_id;
    const read = async () => ((await (await fetch(`${h.hub.url}/open311/v2/requests/${orderNo}.json?api_key=${key}`)).json()) as Array<{ status: string; agency_responsible: string | null }>)[0]!;
    await h.until(async () => city.casesFor(orderNo).length, 1, 60_000);
    await h.until(async () => (await order(orderNo)).status, 'awaiting_callback', 60_000);
    expect(await read()).toMatchObject({ status: 'open', agency_responsible: expect.stringContaining('城市管理') });
    expect((await (await h.post(`/orders/${orderNo}/callback`, { satisfaction: 'satisfied' }, fx.keys.role['callback-agent'])).status)).toBe(202);
    await h.until(async () => (await read()).status, 'closed');
  });

  // Last: it moves the engine's and the hub's clocks forward; an order made after it would carry a time in the future.
  it('hands one emergency to 120, which acknowledges, and alerts the duty leader for one 120 does not', async () => {
    const acked = await intake({ category: 'other', title: '联调：老人晕倒', description: '老人在家中晕倒', district: 'nankai', address: '南开区鞍山西道101号', emergency: { kind: 'medical' } });
    await h.until(async () => (await order(acked)).status, 'transferred');
    expect((await order(acked)).externalRefs).toEqual([{ system: 'medical-120', id: linkage.acknowledged.get(acked) }]);
    // To the end: 120's result comes back into the order's history; the order stays transferred.
    expect(await linkage.conclude(acked, '120', '已送医救治，病人情况稳定')).toBe(200);
    await h.until(async () => (await order(acked)).history.find((x) => x.step === 'partner-concluded')?.note, `急救120指挥中心反馈处置结果（接警编号 ${linkage.acknowledged.get(acked)!}）：已送医救治，病人情况稳定`);
    expect((await order(acked)).status).toBe('transferred');

    linkage.silent.add('120');
    try {
      const unacked = await intake({ category: 'other', title: '联调：路人受伤', description: '路边有人受伤流血', district: 'nankai', address: '南开区鞍山西道102号', emergency: { kind: 'medical' }, citizen: { phone: '13600136002' } });
      await h.until(async () => linkage.handoversOf(unacked).length, 1, 15_000);
      await h.clock.advance(31_000);
      await h.until(async () => fx.mail.recipients.get(unacked)?.includes('duty-leader@hotline.example.invalid') ?? false, true, 60_000);
      await h.until(async () => linkage.handoversOf(unacked).map((x) => x.attempt), [1, 2], 60_000);
      linkage.silent.delete('120');
      await linkage.acknowledge(unacked, '120');
      await h.until(async () => (await order(unacked)).status, 'transferred');
    } finally {
      linkage.silent.delete('120');
    }
  });

  it('hands a request the call-taker did not mark to 119 by the 12345→110 list, on its words, and records the list\'s item', async () => {
    const orderNo = await intake({ category: 'other', title: '联调：楼道起火', description: '3号楼楼道起火，有浓烟', district: 'hexi', address: '河西区友谊路33号', citizen: { phone: '13600136004' } });
    await h.until(async () => (await order(orderNo)).status, 'transferred');
    expect((await order(orderNo)).history.find((x) => x.step === 'hand-over')?.note).toBe('紧急移交消防119指挥中心（移交清单：12345-119-01 火灾）');
    expect(linkage.handoversOf(orderNo)[0]).toMatchObject({ line: '119', kind: 'fire' });
  });

  it('puts on Kafka only events the AsyncAPI document it serves describes: each on its channel, each valid by its JSON Schema', async () => {
    const doc = (await (await fetch(`${h.hub.url}/api/v1/asyncapi.json`)).json()) as { channels: Record<string, { address: string; messages: Record<string, { $ref: string }> }>; components: { messages: Record<string, { name: string; payload: { $ref: string } }>; schemas: Record<string, object> } };
    const ajv = validator();
    const schemaOf = new Map(Object.values(doc.components.messages).map((m) => [m.name, ajv.compile(doc.components.schemas[m.payload.$ref.split('/').pop()!]!)]));
    const channelsOf = (type: string) => Object.values(doc.channels).filter((c) => Object.keys(c.messages).some((k) => doc.components.messages[k]!.name === type)).map((c) => new RegExp(`^${c.address.replace(/\./g, '\\.').replace(/\{\w+\}/, '[a-z0-9-]+')}$`));
    // What this file made happen: a dispatch, a unit's answers, hand-overs, acknowledgements, a transfer and its answer.
    const expected = ['order.dispatched', 'unit.acknowledged', 'unit.replied', 'emergency.handover', 'emergency.acknowledged', 'partner.transferred', 'partner.transfer-answered'];
    await h.until(async () => expected.filter((t) => !seen.some((e) => e.value.includes(`"type":"${t}"`))), [], 30_000);
    const wrong: string[] = [];
    for (const e of seen) {
      const env = JSON.parse(e.value) as { type: string };
      const validate = schemaOf.get(env.type);
      if (!validate) wrong.push(`${e.topic}: ${env.type} is not in the document`);
      else {
        wrong.push(...problems(validate, env).map((p) => `${e.topic} ${env.type}: ${p}`));
        if (!channelsOf(env.type).some((re) => re.test(e.topic))) wrong.push(`${env.type} on ${e.topic}, not on its channel`);
      }
    }
    expect(wrong).toEqual([]);
    expect(seen.length).toBeGreaterThanOrEqual(expected.length);
  });
});
