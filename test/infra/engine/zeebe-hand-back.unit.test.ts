/**
 * Jobs a poll brings while the worker is closing: the SDK would drop them and each order would
 * wait the job's 30 s timeout; they are handed back to the engine instead (the cluster test's
 * rolling restart measures the effect; this file the wiring on the SDK's worker shape).
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../../infra/config.js';
import { closeAfterPollInFlight, handBackWhenClosing, type DroppedJob } from '../../../infra/engine/zeebe-jobs.js';

/** The two members of the SDK's ZBWorkerBase the hand-back relies on. */
function sdkWorker() {
  const handled: unknown[] = [];
  const worker = {
    closing: false,
    handleJobResponse(res: { jobs: Array<{ key: string; retries: number }> }) {
      // Like the SDK's: while closing, the jobs are dropped.
      if (this.closing) return;
      handled.push(...res.jobs.map((j) => j.key));
    },
  };
  return { worker, handled };
}

describe('jobs received while a Zeebe worker closes', () => {
  it('runs them as before while the worker is open, and hands them back with their retries once it is closing', () => {
    const { worker, handled } = sdkWorker();
    const back: DroppedJob[] = [];
    handBackWhenClosing(worker, (j) => back.push(j));
    worker.handleJobResponse({ jobs: [{ key: '1', retries: 3 }] });
    worker.closing = true;
    worker.handleJobResponse({ jobs: [{ key: '2', retries: 3 }, { key: '3', retries: 1 }] });
    expect(handled).toEqual(['1']);
    expect(back).toEqual([{ key: '2', retries: 3 }, { key: '3', retries: 1 }]);
  });

  it('leaves a worker of another shape alone (an SDK without these members: jobs time out as before)', () => {
    const worker = { onJobs: () => undefined };
    handBackWhenClosing(worker, () => undefined);
    expect(Object.keys(worker)).toEqual(['onJobs']);
  });

  it('keeps a poll in flight open when closing, until it ends, so what it brings is handed back and not dropped', async () => {
    const { worker } = sdkWorker();
    const seen: Array<{ closing: boolean; streamOpen: boolean }> = [];
    const w = Object.assign(worker, {
      jobStream: {} as object | undefined,
      close: async () => void seen.push({ closing: w.closing, streamOpen: w.jobStream !== undefined }),
    });
    // The gateway answers the poll 60 ms after the stop began.
    setTimeout(() => (w.jobStream = undefined), 60);
    const t0 = Date.now();
    await closeAfterPollInFlight(w, 2000);
    expect(seen).toEqual([{ closing: true, streamOpen: false }]);
    expect(Date.now() - t0).toBeLessThan(1000);
  });

  it('closes after the grace at most when the poll in flight does not end (a long poll with nothing to bring)', async () => {
    const { worker } = sdkWorker();
    let closed = false;
    const w = Object.assign(worker, { jobStream: {} as object | undefined, close: async () => void (closed = true) });
    const t0 = Date.now();
    await closeAfterPollInFlight(w, 100);
    expect(closed).toBe(true);
    expect(w.closing).toBe(true);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(95);
  });

  it('fits the SDK installed: its worker reads each poll\'s answer through handleJobResponse, keeps a closing flag, and holds its open poll in jobStream', () => {
    const source = fs.readFileSync(path.join(projectRoot, 'node_modules/@camunda8/sdk/dist/zeebe/lib/ZBWorkerBase.js'), 'utf8');
    expect(source).toContain("stream.on('data', this.handleJobResponse)");
    expect(source).toMatch(/this\.handleJobResponse = \(res\) => \{\s*\/\/[^\n]*\n\s*if \(this\.closing\)/);
    // closeAfterPollInFlight: a poll is open while jobStream is set, and none starts while closing.
    expect(source).toContain('this.jobStream = jobStream.stream;');
    expect(source).toMatch(/this\.handleStreamEnd = \(id\) => \{[^}]*this\.jobStream = undefined;/);
    expect(source).toMatch(/const workerIsClosing = !!this\.closePromise \|\| this\.closing;/);
  });
});
