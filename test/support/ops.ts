/**
 * What the operators' tests share: the `hub` command run as an operator runs it, against the
 * tests' database and an engine; and a worker broken on purpose until the test mends it.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { projectRoot } from '../../infra/config.js';
import { defineWorker, type WorkerDefinition } from '../../infra/engine/job-contract.js';
import { workers } from '../../workers/index.js';

export function hubCli(engine: string, ...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(projectRoot, 'hub/cli.ts'), ...args], { cwd: projectRoot, env: { ...process.env, HUB_ENGINE: engine, LOG_LEVEL: 'error' }, encoding: 'utf8', timeout: 120_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The workers, with 分类 failing for good (a bad deployment of it, say) while `broken.now` is true. */
export function withBrokenClassify(broken: { now: boolean }): Record<string, WorkerDefinition> {
  const classify = workers['classify-order']!;
  return {
    ...workers,
    'classify-order': defineWorker({
      variables: classify.variables,
      create: (deps) => {
        const real = classify.create(deps);
        return async (vars, job) => {
          if (broken.now) throw new Error('分类规则服务配置错误 (broken on purpose by the test)');
          return real(vars, job);
        };
      },
    }),
  };
}
