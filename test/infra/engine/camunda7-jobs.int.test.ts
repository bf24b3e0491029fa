/**
 * The job contract's second binding (external tasks on the real Camunda 7 engine from the stack):
 * a handler's end becomes complete with its variables, a caught BPMN error, a retry with a
 * backoff, or an incident whose message says what to do; bad variables are an incident too.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { loadCatalog } from '../../../domain/catalog.js';
import { camunda7Api, loadConfig, projectRoot } from '../../../infra/config.js';
import { loadCalendar } from '../../../infra/calendar.js';
import { createDataSource } from '../../../infra/db/data-source.js';
import { SqlOrderStore } from '../../../infra/db/orders.js';
import { startExternalTaskWorkers } from '../../../infra/engine/camunda7-jobs.js';
import { plainVariables, type TypedValue } from '../../../infra/engine/camunda7-rest.js';
import { defineWorker } from '../../../infra/engine/job-contract.js';
import { BusinessError, RetriableError } from '../../../infra/errors.js';
import { createLogger } from '../../../infra/log.js';

const config = loadConfig();
const api = camunda7Api(config);
const rest = api.url;
const call = async <T>(method: string, p: string, body?: unknown): Promise<T> => {
  const res = await fetch(`${rest}${p}`, { method, headers: { 'content-type': 'application/json', ...api.headers }, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${p} answered ${res.status}: ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
};

/** Attempts per business key, and the step keys the handler saw. */
const attempts = new Map<string, number>();
const stepKeys = new Map<string, string>();
const contractWorker = defineWorker({
  variables: z.object({ orderNo: z.string(), mode: z.enum(['ok', 'business', 'flaky', 'bug']) }),
  outputs: z.object({ done: z.string(), answer: z.object({ unit: z.string(), days: z.number() }) }),
  errors: ['NOT_OURS'],
  create: () => async ({ orderNo, mode }, job) => {
    attempts.set(orderNo, (attempts.get(orderNo) ?? 0) + 1);
    stepKeys.set(orderNo, job.stepKey('contract'));
    if (mode === 'business') throw new BusinessError('NOT_OURS', `order ${orderNo} is not ours`);
    if (mode === 'flaky' && attempts.get(orderNo) === 1) throw new RetriableError('the unit system did not answer');
    if (mode === 'bug') throw new Error('a bug in the handler');
    return { done: mode, answer: { unit: 'water-group', days: 3 } };
  },
});

let workers: { close: () => Promise<void> };
let deps: Parameters<typeof startExternalTaskWorkers>[1];
beforeAll(async () => {
  const form = new FormData();
  form.set('deployment-name', 'hub-contract-c7');
  form.set('enable-duplicate-filtering', 'true');
  form.set('contract-c7.bpmn', new Blob([fs.readFileSync(path.join(projectRoot, 'test/fixtures/contract-c7.bpmn'))]), 'contract-c7.bpmn');
  const res = await fetch(`${rest}/deployment/create`, { method: 'POST', headers: { ...api.headers }, body: form });
  expect(res.status, await res.clone().text()).toBe(200);
  deps = { store: new SqlOrderStore(createDataSource(config)), catalog: loadCatalog(path.join(projectRoot, config.CATALOG_FILE)), calendar: loadCalendar(), config, log: createLogger('fatal'), now: () => new Date() };
  workers = startExternalTaskWorkers({ 'contract-c7-step': contractWorker }, deps, { api, workerId: `contract-${randomUUID()}`, asyncResponseTimeoutMs: 2000 });
});
afterAll(async () => {
  await workers?.close();
});

async function start(variables: Record<string, unknown>): Promise<{ id: string; orderNo: string }> {
  const orderNo = String(variables.orderNo ?? `GD${Date.now()}`);
  const vars = Object.fromEntries(Object.entries(variables).map(([k, v]) => [k, { value: v, type: 'String' }]));
  const started = await call<{ id: string }>('POST', '/process-definition/key/hub-contract-c7/start', { businessKey: orderNo, variables: vars });
  return { id: started.id, orderNo };
}
const finished = (id: string) => call<{ state: string }>('GET', `/history/process-instance/${id}`).then((h) => h.state);
const endedAt = async (id: string) => (await call<Array<{ activityId: string; activityType: string }>>('GET', `/history/activity-instance?processInstanceId=${id}&activityType=noneEndEvent`)).map((a) => a.activityId);
const incidents = (id: string) => call<Array<{ incidentMessage: string }>>('GET', `/incident?processInstanceId=${id}`);
/** A variable as the engine kept it, read back as the workers read it (JSON objects as objects). */
const historicVar = async (id: string, name: string) => {
  const [v] = await call<Array<TypedValue>>('GET', `/history/variable-instance?processInstanceId=${id}&variableName=${name}&deserializeValues=false`);
  return v ? plainVariables({ [name]: v })[name] : undefined;
};

describe('external-task binding on Camunda 7', () => {
  it('completes the task with the handler\'s variables, objects included, and gives it a step key naming the order', async () => {
    const p = await start({ orderNo: `GD${randomUUID().slice(0, 8)}`, mode: 'ok' });
    await expect.poll(() => finished(p.id), { timeout: 15_000 }).toBe('COMPLETED');
    expect(await endedAt(p.id)).toEqual(['end-done']);
    expect(await historicVar(p.id, 'done')).toBe('ok');
    expect(await historicVar(p.id, 'answer')).toEqual({ unit: 'water-group', days: 3 });
    expect(stepKeys.get(p.orderNo)).toMatch(new RegExp(`^contract:${p.orderNo}:`));
  });

  it('ends a business outcome at the boundary event the model has for its code', async () => {
    const p = await start({ orderNo: `GD${randomUUID().slice(0, 8)}`, mode: 'business' });
    await expect.poll(() => finished(p.id), { timeout: 15_000 }).toBe('COMPLETED');
    expect(await endedAt(p.id)).toEqual(['end-not-ours']);
  });

  it('retries a retriable failure after a backoff, then completes', async () => {
    const p = await start({ orderNo: `GD${randomUUID().slice(0, 8)}`, mode: 'flaky' });
    await expect.poll(() => finished(p.id), { timeout: 30_000 }).toBe('COMPLETED');
    expect(attempts.get(p.orderNo)).toBe(2);
    expect(await incidents(p.id)).toEqual([]);
  }, 40_000);

  it('raises an incident that says what to do for a bug, and for variables the worker cannot read', async () => {
    const bug = await start({ orderNo: `GD${randomUUID().slice(0, 8)}`, mode: 'bug' });
    const bad = await start({ orderNo: `GD${randomUUID().slice(0, 8)}`, mode: 'teleport' });
    await expect.poll(async () => (await incidents(bug.id)).length, { timeout: 15_000 }).toBe(1);
    expect((await incidents(bug.id))[0]!.incidentMessage).toMatch(new RegExp(`order ${bug.orderNo}, step contract-c7-step .*will not pass by retrying`));
    expect(attempts.get(bug.orderNo), 'a bug is not retried').toBe(1);
    await expect.poll(async () => (await incidents(bad.id)).length, { timeout: 15_000 }).toBe(1);
    expect((await incidents(bad.id))[0]!.incidentMessage).toMatch(/variables are invalid/);
    expect(attempts.has(bad.orderNo), 'the handler never ran').toBe(false);
    for (const p of [bug, bad]) await call('DELETE', `/process-instance/${p.id}`);
  });

  it('a closing client lets its waiting fetch end and takes nothing after it: the next tasks go at once to the workers still running', async () => {
    // The engine keeps a long poll whose client has gone and locks the next task for it, for the
    // whole lock duration (30 s here). A hub that stops must not leave one behind.
    const left: string[] = [];
    const leaving = startExternalTaskWorkers(
      { 'contract-c7-step': defineWorker({ variables: z.object({ orderNo: z.string() }), outputs: z.object({ done: z.string() }), create: () => async ({ orderNo }) => {
        left.push(orderNo);
        return { done: 'ok' };
      } }) },
      { ...deps, log: createLogger('fatal') },
      { api, workerId: `leaving-${randomUUID()}`, asyncResponseTimeoutMs: 5000 },
    );
    // Long enough for the running workers' 2 s fetch to come back empty and wait again behind the leaving one's.
    await new Promise((r) => setTimeout(r, 2500));
    const closing = Date.now();
    await leaving.close();
    expect(Date.now() - closing, 'it waited for its fetch, no longer').toBeLessThan(5000);
    const started = await Promise.all([1, 2, 3].map(() => start({ orderNo: `GD${randomUUID().slice(0, 8)}`, mode: 'ok' })));
    for (const p of started) await expect.poll(() => finished(p.id), { timeout: 10_000 }).toBe('COMPLETED');
    expect(left, 'the closed client handled nothing').toEqual([]);
  });
});
