/**
 * The Camunda 7 engine of the open-source path, as the local stack runs it (Camunda 7 CE from
 * Maven Central, its data in MariaDB): deploy a model over REST, serve its external task from
 * TypeScript with camunda-external-task-client-js, correlate a message by business key, and read
 * the finished instance from the engine's history.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Client, Variables } from 'camunda-external-task-client-js';
import { describe, expect, it } from 'vitest';
import { camunda7RestUrl, loadConfig, projectRoot } from '../../infra/config.js';

const rest = camunda7RestUrl(loadConfig());
const call = async <T>(method: string, p: string, body?: unknown): Promise<T> => {
  const res = await fetch(`${rest}${p}`, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${p} answered ${res.status}: ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
};

describe('Camunda 7 smoke (real engine from the stack)', () => {
  it('deploys a model, completes its external task from a TypeScript worker and correlates a message to the waiting instance', async () => {
    const form = new FormData();
    form.set('deployment-name', 'hub-smoke-c7');
    form.set('enable-duplicate-filtering', 'true');
    form.set('smoke-c7.bpmn', new Blob([fs.readFileSync(path.join(projectRoot, 'test/fixtures/smoke-c7.bpmn'))]), 'smoke-c7.bpmn');
    const deployed = await fetch(`${rest}/deployment/create`, { method: 'POST', body: form });
    expect(deployed.status, await deployed.clone().text()).toBe(200);

    const businessKey = randomUUID();
    const started = await call<{ id: string }>('POST', '/process-definition/key/hub-smoke-c7/start', { businessKey, variables: { input: { value: 21, type: 'Integer' } } });

    const client = new Client({ baseUrl: rest, workerId: `smoke-${businessKey}`, asyncResponseTimeout: 2000, interval: 100 });
    try {
      const done = new Promise<void>((resolve, reject) => {
        client.subscribe('smoke-c7-double', { businessKey }, async ({ task, taskService }) => {
          try {
            const out = new Variables().set('result', Number(task.variables.get('input')) * 2);
            await taskService.complete(task, out);
            resolve();
          } catch (err) {
            reject(err as Error);
          }
        });
      });
      await done;
    } finally {
      client.stop();
    }

    // The instance waits at the receive task until its message comes.
    await expect.poll(async () => (await call<unknown[]>('GET', `/execution?processInstanceId=${started.id}&messageEventSubscriptionName=smoke-c7-message`)).length, { timeout: 10_000 }).toBe(1);
    await call('POST', '/message', { messageName: 'smoke-c7-message', businessKey });
    const history = await call<{ state: string }>('GET', `/history/process-instance/${started.id}`);
    expect(history.state).toBe('COMPLETED');
    const vars = await call<Array<{ name: string; value: unknown }>>('GET', `/history/variable-instance?processInstanceId=${started.id}`);
    expect(vars.find((v) => v.name === 'result')?.value).toBe(42);
  });
});
