/**
 * Jobs a poll brings while the worker is closing: the SDK would drop them and each order would
 * wait the job's 30 s timeout; they are handed back to the engine instead (the cluster test's
 * rolling restart measures the effect; this file the wiring on the SDK's worker shape).
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../../infra/config.js';
import { handBackWhenClosing, type DroppedJob } from '../../../infra/engine/zeebe-jobs.js';

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

  it('fits the SDK installed: its worker reads each poll\'s answer through handleJobResponse and keeps a closing flag', () => {
    const source = fs.readFileSync(path.join(projectRoot, 'node_modules/@camunda8/sdk/dist/zeebe/lib/ZBWorkerBase.js'), 'utf8');
    expect(source).toContain("stream.on('data', this.handleJobResponse)");
    expect(source).toMatch(/this\.handleJobResponse = \(res\) => \{\s*\/\/[^\n]*\n\s*if \(this\.closing\)/);
  });
});
