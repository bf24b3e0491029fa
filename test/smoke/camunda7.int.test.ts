/**
 * The Camunda 7 engine of the open-source path, as the local stack runs it (Camunda 7 CE from
 * Maven Central, its data in MariaDB): deploy a model over REST, serve its external task from
 * TypeScript with camunda-external-task-client-js, correlate a message by business key, and read
 * the finished instance from the engine's history. The engine signs every request in (HTTP Basic,
 * CAMUNDA7_USERNAME), as a production engine must.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Client, Variables } from 'camunda-external-task-client-js';
import { describe, expect, it } from 'vitest';
import { camunda7Api, loadConfig, projectRoot } from '../../infra/config.js';
import { signedIn } from '../../infra/engine/camunda7-jobs.js';
import { camunda7Check } from '../../infra/engine/camunda7-rest.js';

const api = camunda7Api(loadConfig());
const rest = api.url;
const call = async <T>(method: string, p: string, body?: unknown): Promise<T> => {
  const res = await fetch(`${rest}${p}`, { method, headers: { 'content-type': 'application/json', ...api.headers }, body: body === undefined ? undefined : JSON.stringify(body) });
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
    const deployed = await fetch(`${rest}/deployment/create`, { method: 'POST', headers: { ...api.headers }, body: form });
    expect(deployed.status, await deployed.clone().text()).toBe(200);

    const businessKey = randomUUID();
    const started = await call<{ id: string }>('POST', '/process-definition/key/hub-smoke-c7/start', { businessKey, variables: { input: { value: 21, type: 'Integer' } } });

    const client = new Client({ baseUrl: rest, workerId: `smoke-${businessKey}`, asyncResponseTimeout: 2000, interval: 100, interceptors: signedIn(api) });
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

  it("refuses every request without the hub's credentials or with a wrong password, and the hub's readiness says which", async () => {
    const config = loadConfig();
    expect(config.CAMUNDA7_USERNAME, 'the lanes run their engines with a user (test/support/lanes.ts)').not.toBe('');
    for (const headers of [{}, camunda7Api({ ...config, CAMUNDA7_PASSWORD: 'wrong' }).headers]) {
      for (const p of ['/version', '/process-definition', '/hub-clock']) expect((await fetch(`${rest}${p}`, { headers })).status, `${p} with ${JSON.stringify(headers)}`).toBe(401);
      const form = new FormData();
      form.set('x.dmn', new Blob(['<definitions/>']), 'x.dmn');
      expect((await fetch(`${rest}/deployment/create`, { method: 'POST', headers, body: form })).status).toBe(401);
    }
    // Only the list of engines stays open (the engine's own rule).
    expect((await fetch(`${rest}/engine`)).status).toBe(200);
    // Wrong passwords just before did not lock the hub's user out (stack/camunda7.ts).
    expect((await fetch(`${rest}/version`, { headers: { ...api.headers } })).status).toBe(200);
    await expect(camunda7Check(camunda7Api({ ...config, CAMUNDA7_PASSWORD: 'wrong' }), 5000)).rejects.toThrow("refused the hub's credentials (401): check CAMUNDA7_USERNAME and CAMUNDA7_PASSWORD");
    await expect(camunda7Check(api, 5000)).resolves.toBeUndefined();
  });
});
