/**
 * One engine's hub for a describe block of the disposal-process tests, and the calls the tests
 * make of its API. With `movesClock`, the hub runs on the test's clock, which the tests move
 * (test/support/clock.ts: on Zeebe that takes the file to the run's clock broker). The hub is
 * closed after the block (what its orders left open is cancelled at the end of the file,
 * test/support/file-database.ts).
 */
import { afterAll, beforeAll, expect } from 'vitest';
import { startHub, type HubOptions, type RunningHub } from '../../hub/compose.js';
import { loadConfig, type Config } from '../../infra/config.js';
import { createLogger } from '../../infra/log.js';
import { TestClock } from './clock.js';
import { engineMessagesDelivered } from './instances.js';
import { freePort, startSmtp, type Mailbox } from './harness.js';
import { bearer, makeKeys, type TestKeys } from './keys.js';

export interface EngineHub {
  /** The test's clock (with `movesClock` only). */
  readonly clock: TestClock;
  readonly hub: RunningHub;
  readonly config: Config;
  /** The API's base URL (…/api/v1). */
  readonly base: string;
  post(path: string, body: unknown, token: string): Promise<Response>;
  get(path: string, token: string): Promise<Response>;
  /** "404 ORDER_NOT_FOUND": a refusal's status and code. */
  codeOf(res: Response): Promise<string>;
  /** Polls until `what` gives `expected` (30 s unless told). */
  until<T>(what: () => Promise<T>, expected: T, timeoutMs?: number): Promise<void>;
}

export function useEngineHub(
  engine: Config['HUB_ENGINE'],
  opts: { mail: () => Mailbox; env?: Record<string, string>; workers?: HubOptions['workers']; senders?: HubOptions['senders']; movesClock?: boolean },
): EngineHub {
  const clock = opts.movesClock ? new TestClock(engine) : undefined;
  let hub: RunningHub | undefined;
  let config: Config | undefined;
  const h: EngineHub = {
    get clock() {
      if (!clock) throw new Error('this hub runs on real time: useEngineHub(engine, { movesClock: true }) gives it a clock to move');
      return clock;
    },
    get hub() {
      return hub!;
    },
    get config() {
      return config!;
    },
    get base() {
      return `${hub!.url}/api/v1`;
    },
    post: (path, body, token) => fetch(`${h.base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...bearer(token) }, body: JSON.stringify(body) }),
    get: (path, token) => fetch(`${h.base}${path}`, { headers: bearer(token) }),
    codeOf: async (res) => `${res.status} ${((await res.json()) as { error?: { code: string } }).error?.code ?? ''}`.trim(),
    until: async (what, expected, timeoutMs = 30_000) => {
      await expect.poll(what, { timeout: timeoutMs, interval: 200 }).toEqual(expected);
    },
  };
  beforeAll(async () => {
    await clock?.begin();
    config = loadConfig({ ...process.env, HUB_ENGINE: engine, PORT: String(await freePort()), SMTP_URL: `smtp://127.0.0.1:${opts.mail().port}`, OUTBOX_POLL_MS: '100', DEMO_KEYS: 'false', ...opts.env });
    hub = await startHub(config, createLogger((process.env.TEST_HUB_LOG as 'info' | undefined) ?? 'error'), { now: clock?.now, workers: opts.workers, senders: opts.senders });
    clock?.settleWith(engineMessagesDelivered(hub.store.ds));
  }, 600_000);
  afterAll(async () => {
    clock?.settleWith(undefined);
    await hub?.close();
    await clock?.end();
  }, 120_000);
  return h;
}

/** The file's API keys (one per role and unit) and its SMTP server, made before its tests and closed after. */
export function useKeysAndMail(): { readonly keys: TestKeys; readonly mail: Mailbox } {
  let keys: TestKeys | undefined;
  let mail: Mailbox | undefined;
  beforeAll(async () => {
    keys = await makeKeys();
    mail = await startSmtp();
  });
  afterAll(async () => {
    await mail?.close();
  });
  return {
    get keys() {
      return keys!;
    },
    get mail() {
      return mail!;
    },
  };
}

