/**
 * The hub as the container runs it: compiled to JavaScript (npm run build, tsconfig.build.json)
 * and started with node, in production mode (LOCAL_STACK=false), on the file's own Zeebe, Kafka
 * and MySQL named by address. It starts, deploys its models, says it is ready, serves its API
 * documents, and stops cleanly on SIGTERM, also while a client keeps its connection busy and another has sent half a request. (No Docker engine here to build the image itself; its
 * rules: test/container.unit.test.ts.)
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import net from 'node:net';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { kafkaBrokers, loadConfig, projectRoot, zeebeAddress } from '../../infra/config.js';
import { buildHub, freePort, until } from '../support/harness.js';

describe('the compiled hub', { timeout: 300_000 }, () => {
  it('starts with node in production mode on the services it is given, is ready, and stops on SIGTERM while clients hold connections (busy, or half a request sent)', async () => {
    await buildHub();
    const config = loadConfig();
    const port = await freePort();
    let out = '';
    const proc = spawn(process.execPath, [path.join(projectRoot, 'dist/hub/cli.js'), 'start'], {
      cwd: projectRoot,
      env: { ...process.env, LOCAL_STACK: 'false', ZEEBE_ADDRESS: zeebeAddress(config), KAFKA_BROKERS: kafkaBrokers(config).join(','), PORT: String(port), DEMO_KEYS: 'false', LOG_LEVEL: 'warn', NODE_OPTIONS: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    proc.stdout!.on('data', (c: Buffer) => (out += c.toString()));
    proc.stderr!.on('data', (c: Buffer) => (out += c.toString()));
    const exited = new Promise<number | null>((r) => proc.once('exit', (code) => r(code)));
    let busy: Promise<void> = Promise.resolve();
    let stuck: net.Socket | undefined;
    try {
      await Promise.race([until('the compiled hub to start', () => out.includes('The hub is running'), 120_000), exited.then((code) => Promise.reject(new Error(`exited ${code}:\n${out.slice(-2000)}`)))]);
      // Production mode started nothing: no stack status table was printed.
      expect(out).not.toMatch(/zeebe\s+8\.\d+\.\d+.*(healthy|starting)/);
      const base = `http://127.0.0.1:${port}`;
      const ready = (await (await fetch(`${base}/readyz`)).json()) as { status: string; checks: Record<string, string> };
      expect(ready).toMatchObject({ status: 'ready', checks: { database: 'up', zeebe: 'up', kafka: 'up' } });
      expect((await fetch(`${base}/api/v1/openapi.json`)).status).toBe(200);
      expect((await fetch(`${base}/api/v1/docs/`)).status).toBe(200);
      expect((await fetch(`${base}/console/`)).status).toBe(200);
      // A client that keeps its connection busy (a load balancer's) does not hold the stop: from
      // the stop on, each answer closes its connection, and a new one is refused.
      let answered = 0;
      busy = (async () => {
        for (;;) {
          const r = await fetch(`${base}/healthz`).catch(() => null);
          if (!r) return;
          await r.arrayBuffer();
          answered++;
        }
      })();
      await until('the busy client to be answered', () => answered >= 20, 10_000);
      // Nor does one that sent half a request and went quiet (a stuck client, a half-open
      // connection): Node would wait for its headers for a minute; the gateway cuts it off.
      stuck = net.connect(port, '127.0.0.1');
      await once(stuck, 'connect');
      stuck.write('POST /api/v1/orders HTTP/1.1\r\nHost: 127.0.0.1\r\n');
      stuck.on('error', () => undefined);
    } finally {
      proc.kill('SIGTERM');
    }
    expect(await exited, `a clean stop (not the forced exit after 30 s):\n${out.slice(-2000)}`).toBe(0);
    await busy;
    stuck?.destroy();
  });
});
