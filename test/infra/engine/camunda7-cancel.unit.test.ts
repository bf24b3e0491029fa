/** Cancelling a Camunda 7 instance: a delete the engine refuses while a worker moves the instance on (its optimistic lock, a 500) is tried again; a gone instance is said so. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { camunda7CancelInstance } from '../../../infra/engine/camunda7-rest.js';

let server: http.Server | undefined;
afterEach(() => new Promise<void>((r) => (server ? server.close(() => r()) : r())));

/** A fake engine answering each DELETE with the next status of the list (the last one from then on). */
async function engine(statuses: number[]): Promise<{ url: string; calls: () => number }> {
  let n = 0;
  server = http.createServer((req, res) => {
    const status = statuses[Math.min(n++, statuses.length - 1)]!;
    res.writeHead(status, { 'content-type': 'application/json' }).end(status >= 400 ? JSON.stringify({ type: 'OptimisticLockingException', message: 'ENGINE-03005 Execution of DELETE failed' }) : undefined);
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server!.address() as AddressInfo).port}/engine-rest`, calls: () => n };
}

describe('camunda7CancelInstance', () => {
  it('tries again when the engine refuses for its optimistic lock, and cancels', async () => {
    const e = await engine([500, 500, 204]);
    expect(await camunda7CancelInstance({ url: e.url, headers: {} }, 'pi-1', '合并', 2000)).toBe('cancelled');
    expect(e.calls()).toBe(3);
  });

  it('says gone for an instance the engine does not have, and gives up after five refusals', async () => {
    expect(await camunda7CancelInstance({ url: (await engine([404])).url, headers: {} }, 'pi-2', '合并', 2000)).toBe('gone');
    await new Promise<void>((r) => server!.close(() => r()));
    const e = await engine([500]);
    await expect(camunda7CancelInstance({ url: e.url, headers: {} }, 'pi-3', '合并', 2000)).rejects.toThrow(/500/);
    expect(e.calls()).toBe(5);
    server = undefined;
    await new Promise<void>((r) => setTimeout(r, 0));
  }, 15_000);
});
