import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { BusinessError, RetriableError } from '../../../infra/errors.js';
import { defineWorker, type WorkerDeps } from '../../../infra/engine/job-contract.js';
import { jobRunner, type EngineJob, type JobActions } from '../../../infra/engine/job-loop.js';
import type { TrailEntry } from '../../../infra/db/trail.js';
import { createLogger } from '../../../infra/log.js';

const binding = { engine: 'zeebe' as const, jobNoun: 'job', retryHow: "raise the job's retries" };
const job = (variables: Record<string, unknown>, retries = 3): EngineJob => ({
  key: '42', variables, retries, elementInstanceKey: '7', processInstanceKey: '5', bpmnProcessId: 'work-order', elementId: 'classify', trailDetail: { jobKey: '42' },
});

/** A worker whose handler does what the case says, an engine that records what it was told (and refuses when asked), and the trail. */
function harness(handler: (vars: { orderNo: string }) => Promise<Record<string, unknown>>, refuse = false, unreachable = 0) {
  const trail: TrailEntry[] = [];
  const told: string[] = [];
  const deps = { log: createLogger('silent'), trail: { record: (e: TrailEntry) => void trail.push(e) } } as unknown as WorkerDeps;
  const def = defineWorker({ variables: z.object({ orderNo: z.string() }), outputs: z.object({ unit: z.string().optional() }), errors: ['NOT_OURS'], create: () => handler });
  const run = jobRunner(binding, 'classify-order', def, deps, [1, 1, 1]);
  const engineSays = (what: string) => async () => {
    told.push(what);
    // What the Zeebe gateway answers when the broker it asked died under the call.
    if (told.length <= unreachable) throw Object.assign(new Error('13 INTERNAL: Unexpected error occurred during the request processing: Connection RemoteClientConnection{…} was closed'), { code: 13 });
    if (refuse) throw new Error('NOT_FOUND: job 42 timed out and went to another worker');
  };
  const act: JobActions = {
    complete: (v) => engineSays(`complete ${JSON.stringify(v)}`)(),
    fail: (f) => engineSays(`fail retries=${f.retries} backoff=${f.backoffMs} ${f.message}`)(),
    error: (code) => engineSays(`error ${code}`)(),
  };
  return { trail, told, run: (j: EngineJob) => run(j, act) };
}

describe('the job loop both engines run', () => {
  it.each([
    ['completes with what the worker returned', async () => ({ unit: 'water-group' }), 'complete {"unit":"water-group"}', 'job-completed'],
    ['throws a business outcome as the BPMN error the model catches', async () => { throw new BusinessError('NOT_OURS', 'not our responsibility'); }, 'error NOT_OURS', 'job-error'],
    ['fails a retriable error with a retry fewer and a backoff', async () => { throw new RetriableError('database went away'); }, /^fail retries=2 backoff=\d+ order GD20261205000001, step classify-order \(job 42\): \[DEPENDENCY_UNAVAILABLE\] database went away/, 'job-failed'],
    ['makes a bug an incident (no retries) naming the order, the step and the remedy', async () => { throw new TypeError('x is undefined'); }, /^fail retries=0 backoff=0 .*GD20261205000001.*classify-order.*raise the job's retries/, 'incident'],
  ] as Array<[string, () => Promise<Record<string, unknown>>, string | RegExp, string]>)('%s', async (_name, handler, engineCall, trailKind) => {
    const h = harness(handler);
    await h.run(job({ orderNo: 'GD20261205000001' }));
    expect(h.told).toHaveLength(1);
    expect(h.told[0]).toMatch(engineCall);
    expect(h.trail.map((e) => [e.kind, e.orderNo, e.elementInstanceKey, e.detail?.engine, e.detail?.jobKey])).toEqual([[trailKind, 'GD20261205000001', '7', 'zeebe', '42']]);
  });

  // What a worker completes with and the BPMN errors it throws are what its definition declares:
  // the element templates and the models rely on them.
  it.each([
    ['completes with a variable it does not declare', async () => ({ unit: 'water-group', secret: 1 }), /^fail retries=0 .*does not declare \(outputs\)[\s\S]*secret/],
    ['completes with a declared variable of the wrong type', async () => ({ unit: 7 }), /^fail retries=0 .*does not declare \(outputs\)[\s\S]*unit/],
    ['throws a BPMN error it does not declare', async () => { throw new BusinessError('NOT_DECLARED', 'x'); }, /^fail retries=0 .*BPMN error NOT_DECLARED, which workers\/classify-order\.ts does not declare/],
  ] as Array<[string, () => Promise<Record<string, unknown>>, RegExp]>)('makes an incident of a worker that %s', async (_name, handler, engineCall) => {
    const h = harness(handler);
    await h.run(job({ orderNo: 'GD20261205000001' }));
    expect(h.told).toHaveLength(1);
    expect(h.told[0]).toMatch(engineCall);
    expect(h.trail.map((e) => e.kind)).toEqual(['incident']);
  });

  it('dates the outcome when the worker reached it, not when the engine answered: a step taken meanwhile comes after it', async () => {
    const h = harness(async () => ({}));
    let answered = 0;
    const slowEngine: JobActions = { complete: async () => { await new Promise((r) => setTimeout(r, 50)); answered = Date.now(); }, fail: async () => undefined, error: async () => undefined };
    const run = jobRunner(binding, 'classify-order', defineWorker({ variables: z.object({ orderNo: z.string() }), create: () => async () => ({}) }), { log: createLogger('silent'), trail: { record: (e: TrailEntry) => void h.trail.push(e) } } as unknown as WorkerDeps);
    await run(job({ orderNo: 'GD20261205000001' }), slowEngine);
    expect(h.trail).toHaveLength(1);
    expect(h.trail[0]!.at!.getTime()).toBeLessThan(answered - 30);
  });

  it('runs no worker on variables it cannot read: an incident saying what to fix', async () => {
    let ran = false;
    const h = harness(async () => ((ran = true), {}));
    await h.run(job({ orderNo: 17 }));
    expect(ran).toBe(false);
    expect(h.told[0]).toMatch(/^fail retries=0 .*job variables are invalid[\s\S]*Fix the variables/);
    expect(h.trail.map((e) => [e.kind, e.orderNo])).toEqual([['incident', null]]);
  });

  it('records nothing for an outcome the engine refused: the job runs again, and only that run counts', async () => {
    const h = harness(async () => ({}), true);
    await expect(h.run(job({ orderNo: 'GD20261205000001' }))).resolves.toBeUndefined();
    expect(h.told).toEqual(['complete {}']);
    expect(h.trail).toEqual([]);
  });

  it('sends an outcome again when the engine could not be reached, and records it once it is accepted', async () => {
    const h = harness(async () => ({ unit: 'water-group' }), false, 2);
    await h.run(job({ orderNo: 'GD20261205000001' }));
    expect(h.told).toEqual(Array(3).fill('complete {"unit":"water-group"}'));
    expect(h.trail.map((e) => e.kind)).toEqual(['job-completed']);
  });

  it('gives up after its tries, records nothing, and leaves the job to its timeout', async () => {
    const h = harness(async () => ({}), false, 10);
    await h.run(job({ orderNo: 'GD20261205000001' }));
    expect(h.told).toHaveLength(4);
    expect(h.trail).toEqual([]);
  });

  it('does not send again an outcome the engine refused', async () => {
    const h = harness(async () => { throw new RetriableError('database went away'); }, true);
    await h.run(job({ orderNo: 'GD20261205000001' }));
    expect(h.told).toHaveLength(1);
  });
});
