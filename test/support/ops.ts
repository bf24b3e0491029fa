/**
 * What the operators' tests share: the `hub` command run as an operator runs it, against the
 * tests' database and an engine; and a worker broken on purpose until the test mends it.
 */
import { execFile } from 'node:child_process';
import { expect } from 'vitest';
import path from 'node:path';
import { projectRoot } from '../../infra/config.js';
import { defineWorker, type WorkerDefinition } from '../../infra/engine/job-contract.js';
import { workers } from '../../workers/index.js';
import type { ChannelSender } from '../../infra/outbox/relay.js';
import type { EngineHub } from './engine-hub.js';
import type { TestKeys } from './keys.js';
import { approveReview } from './tasks.js';

/**
 * Runs `hub <args>` in a process of its own, as an operator would. Asynchronous: the hub under test
 * runs in this process, and a blocked event loop would stall its workers and gateway meanwhile.
 */
export function hubCli(engine: string, ...args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return hubCliWith({ HUB_ENGINE: engine }, ...args);
}

/** `hub …` with these settings over the test's environment. */
export function hubCliWith(env: Record<string, string>, ...args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['--import', 'tsx', path.join(projectRoot, 'hub/cli.ts'), ...args], { cwd: projectRoot, env: { ...process.env, LOG_LEVEL: 'error', ...env }, encoding: 'utf8', timeout: 120_000, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      if (err && typeof err.code !== 'number') return reject(err);
      resolve({ status: err ? (err.code as number) : 0, stdout, stderr });
    });
  });
}

/** The workers, with 分类 failing for good (a bad deployment of it, say) while `broken.now` is true. */
export function withBrokenClassify(broken: { now: boolean }): Record<string, WorkerDefinition> {
  const classify = workers['classify-order']!;
  return {
    ...workers,
    'classify-order': defineWorker({
      ...classify,
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

/**
 * The engine channel, losing on purpose the messages of `lose` (order number → message name)
 * once each: the relay is told they were delivered, the engine never sees them (a message that
 * expired in the broker before its instance waited, say).
 */
export function losingMessages(lose: Map<string, string>): (s: ChannelSender) => ChannelSender {
  return (sender) =>
    sender.channel !== 'engine'
      ? sender
      : {
          ...sender,
          send: async (rows) => {
            const lost = rows.filter((r) => r.aggregateKey && lose.get(r.aggregateKey) === (JSON.parse(r.payload) as { name: string }).name);
            for (const r of lost) lose.delete(r.aggregateKey!);
            const sent = await sender.send(rows.filter((r) => !lost.includes(r)));
            return [...sent, ...lost.map((r) => ({ id: r.id, ok: true as const }))];
          },
        };
}

/**
 * Takes a dispatched (or replied) order to its end as the people would: its unit replies, a
 * supervisor approves the answer, the citizen is called back satisfied; resolves once it is closed.
 */
export async function finishOrder(h: EngineHub, keys: TestKeys, orderNo: string): Promise<void> {
  const order = async () => (await (await h.get(`/orders/${orderNo}`, keys.role.supervisor)).json()) as { status: string; unit: { code: string } | null };
  const o = await order();
  if (o.status === 'dispatched' || o.status === 'acknowledged') {
    const res = await h.post(`/orders/${orderNo}/reply`, { result: '已到现场处理完毕', handledBy: '运维测试' }, keys.unit[o.unit!.code]!);
    expect(res.status, await res.clone().text()).toBeLessThan(300);
  }
  await approveReview(h.base, keys.role.supervisor, orderNo);
  await h.until(async () => (await order()).status, 'awaiting_callback', 60_000);
  const cb = await h.post(`/orders/${orderNo}/callback`, { satisfaction: 'satisfied' }, keys.role['callback-agent']);
  expect(cb.status, await cb.clone().text()).toBeLessThan(300);
  await h.until(async () => (await order()).status, 'closed', 60_000);
}
