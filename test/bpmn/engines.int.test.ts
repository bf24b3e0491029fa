/**
 * The same models on both engines: bpmn/ deploys to Zeebe as it is and to the Camunda 7 engine
 * converted, and the dispatch rules (派单目录, bpmn/dispatch.dmn) and the emergency list
 * (bpmn/emergency-transfer.dmn, on the request's words) decide alike on both for a table of requests.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { camunda7Api, loadConfig, projectRoot } from '../../infra/config.js';
import { deployModelsCamunda7 } from '../../infra/engine/camunda7-deploy.js';
import { deployModels, modelResources } from '../../infra/engine/deploy.js';
import { createZeebeClient, type ZeebeClient } from '../../infra/engine/zeebe-client.js';
import { createLogger } from '../../infra/log.js';

const config = loadConfig();
const api = camunda7Api(config);
const rest = api.url;
const log = createLogger('fatal');
let zeebe: ZeebeClient;

beforeAll(async () => {
  zeebe = createZeebeClient(config);
  await deployModels(zeebe, modelResources(path.join(projectRoot, 'bpmn')), log);
  await deployModelsCamunda7(api, modelResources(path.join(projectRoot, 'bpmn')), log);
}, 120_000);
afterAll(async () => {
  await zeebe?.close();
});

type Decision = { mode: string; unit: string | null; workingDays: number | null; minutes: number | null; advice: string | null; units: string | null };

async function onZeebe(vars: Record<string, unknown>): Promise<Decision> {
  const res = (await zeebe.evaluateDecision({ decisionId: 'dispatch', variables: vars } as never)) as unknown as { decisionOutput: string };
  return JSON.parse(res.decisionOutput) as Decision;
}

async function onCamunda7(vars: Record<string, unknown>): Promise<Decision> {
  const typed = Object.fromEntries(Object.entries(vars).map(([k, v]) => [k, { value: v, type: typeof v === 'boolean' ? 'Boolean' : 'String' }]));
  const res = await fetch(`${rest}/decision-definition/key/dispatch/evaluate`, { method: 'POST', headers: { 'content-type': 'application/json', ...api.headers }, body: JSON.stringify({ variables: typed }) });
  const body = (await res.json()) as Array<Record<string, { value: unknown }>>;
  if (!res.ok) throw new Error(`evaluate answered ${res.status}: ${JSON.stringify(body)}`);
  expect(body, 'a FIRST table gives one result').toHaveLength(1);
  const out = Object.fromEntries(Object.entries(body[0]!).map(([k, v]) => [k, v.value]));
  return { mode: out.mode, unit: out.unit ?? null, workingDays: out.workingDays ?? null, minutes: out.minutes ?? null, advice: out.advice ?? null, units: out.units ?? null } as Decision;
}

describe('the same models on Zeebe and on the Camunda 7 engine', () => {
  it('deploys the converted work-order process to the Camunda 7 engine, and again without a new version', async () => {
    const def = async () => (await (await fetch(`${rest}/process-definition/key/work-order`, { headers: { ...api.headers } })).json()) as { version: number; historyTimeToLive: number };
    const first = await def();
    expect(first.historyTimeToLive).toBe(180);
    await deployModelsCamunda7(api, modelResources(path.join(projectRoot, 'bpmn')), log);
    expect((await def()).version, 'unchanged models keep their version').toBe(first.version);
  });

  it.each([
    [{ urgent: false, category: 'water-outage', district: 'binhai' }, { mode: 'phone-dispatch', unit: 'binhai-water', workingDays: 3, minutes: null, advice: null, units: null }],
    [{ urgent: false, category: 'water-outage', district: 'hexi' }, { mode: 'phone-dispatch', unit: 'water-group', workingDays: 3, minutes: null, advice: null, units: null }],
    [{ urgent: true, category: 'gas-fault', district: 'hexi' }, { mode: 'urgent', unit: 'gas-group', workingDays: null, minutes: 30, advice: null, units: null }],
    [{ urgent: true, category: 'noise', district: 'heping' }, { mode: 'urgent', unit: 'heping-gov', workingDays: null, minutes: 30, advice: null, units: null }],
    [{ urgent: false, category: 'policy-consult', district: 'nankai' }, { mode: 'answer-now', unit: null, workingDays: null, minutes: null, advice: null, units: null }],
    [{ urgent: false, category: 'road-damage', district: 'nankai' }, { mode: 'written-dispatch', unit: 'city-management', workingDays: 7, minutes: null, advice: null, units: null }],
    [{ urgent: false, category: 'road-damage', district: 'binhai' }, { mode: 'written-dispatch', unit: 'city-management', workingDays: 7, minutes: null, advice: null, units: 'binhai-gov,transport-bureau' }],
    [{ urgent: false, category: 'noise', district: 'hexi' }, { mode: 'written-dispatch', unit: 'hexi-gov', workingDays: 7, minutes: null, advice: null, units: null }],
    [{ urgent: false, category: 'social-insurance', district: 'hexi', type: 'consultation' }, { mode: 'refer', unit: null, workingDays: null, minutes: null, advice: '社会保险业务请拨打12333人力资源和社会保障服务热线，或到社保经办窗口办理', units: null }],
    [{ urgent: false, category: 'bus-service', district: 'hexi', type: 'suggestion' }, { mode: 'forward', unit: 'transport-bureau', workingDays: null, minutes: null, advice: null, units: null }],
    [{ urgent: false, category: 'illegal-construction', district: 'hexi' }, { mode: 'coordinate', unit: 'city-management', workingDays: null, minutes: null, advice: null, units: 'city-management,hexi-gov' }],
    [{ urgent: false, category: 'heating', district: 'hexi', answeredFromKnowledge: true }, { mode: 'answer-now', unit: null, workingDays: null, minutes: null, advice: null, units: null }],
  ])('decides %o alike on both engines', async (input, expected) => {
    const [z, c] = await Promise.all([onZeebe(input), onCamunda7(input)]);
    expect(z).toEqual(expected);
    expect(c).toEqual(expected);
  });

  // 紧急联动 (bpmn/emergency-transfer.dmn): the call-taker's mark first, then the 12345→110 list on the request's words (FEEL unary tests with `?`).
  const none = { partner: null, ackSeconds: null, item: null };
  it.each([
    [{ emergency: 'medical', threeWayCall: null, category: 'other', requestText: '老人在家中晕倒' }, { partner: 'medical-120', ackSeconds: 30, item: null }],
    [{ emergency: 'unclear', threeWayCall: 'hotline-keeps', category: 'other', requestText: '楼下有人打架' }, none],
    [{ emergency: null, threeWayCall: null, category: 'other', requestText: '小区3号楼起火，有浓烟' }, { partner: 'fire-119', ackSeconds: 30, item: '12345-119-01 火灾' }],
    [{ emergency: null, threeWayCall: null, category: 'gas-fault', requestText: '燃气灶打不着火，请派人检查' }, none],
    [{ emergency: null, threeWayCall: null, category: 'transport', requestText: '路口两车相撞，发生车祸' }, { partner: 'traffic-122', ackSeconds: 60, item: '12345-122-01 交通事故' }],
    [{ emergency: null, threeWayCall: null, category: 'noise', requestText: '楼下烧烤店有人持刀斗殴' }, { partner: 'police-110', ackSeconds: 60, item: '12345-110-01 正在发生的治安、刑事警情' }],
    [{ emergency: null, threeWayCall: null, category: 'water-outage', requestText: '小区停水两天' }, none],
    [{ emergency: null, threeWayCall: null, category: 'water-outage' }, none],
  ])('hands over %o alike on both engines', async (input, expected) => {
    const z = JSON.parse(((await zeebe.evaluateDecision({ decisionId: 'emergency-transfer', variables: input } as never)) as unknown as { decisionOutput: string }).decisionOutput) as Record<string, unknown>;
    const typed = Object.fromEntries(Object.entries(input).map(([k, v]) => [k, { value: v, type: v === null ? 'Null' : 'String' }]));
    const res = await fetch(`${rest}/decision-definition/key/emergency-transfer/evaluate`, { method: 'POST', headers: { 'content-type': 'application/json', ...api.headers }, body: JSON.stringify({ variables: typed }) });
    const body = (await res.json()) as Array<Record<string, { value: unknown }>>;
    expect(res.status, JSON.stringify(body)).toBe(200);
    const c = Object.fromEntries(Object.entries(body[0] ?? {}).map(([k, v]) => [k, v.value]));
    expect({ partner: z.partner ?? null, ackSeconds: z.ackSeconds ?? null, item: z.item ?? null }).toEqual(expected);
    expect({ partner: c.partner ?? null, ackSeconds: c.ackSeconds ?? null, item: c.item ?? null }).toEqual(expected);
  });
});
