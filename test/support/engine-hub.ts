/**
 * One engine's hub for a describe block of the disposal-process tests: the engine's clock put back
 * to real time, a hub on it with the test's clock (so that time can be moved), and the calls the
 * tests make of its API. The hub is closed and the clock reset after the block (what its orders
 * left open is cancelled at the end of the file, test/support/file-database.ts).
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
  clock: TestClock;
  readonly hub: RunningHub;
  readonly config: Config;
  /** The API's base URL (…/api/v1). */
  readonly base: string;
  post(path: string, body: unknown, token: string): Promise<Response>;
  get(path: string, token: string): Promise<Response>;
  /** "404 ORDER_NOT_FOUND": a refusal's status and code. */
  codeOf(res: Response): Promise<string>;
  /**
   * Polls until `what` gives `expected` (30 s). An e-mail may wait longer: a test that moves an
   * engine's clock fires the timers of every order earlier tests left open, and their chase
   * e-mails go out first (oldest first).
   */
  until<T>(what: () => Promise<T>, expected: T, timeoutMs?: number): Promise<void>;
}

export function useEngineHub(engine: Config['HUB_ENGINE'], opts: { mail: () => Mailbox; env?: Record<string, string>; workers?: HubOptions['workers']; senders?: HubOptions['senders'] }): EngineHub {
  const clock = new TestClock(engine);
  let hub: RunningHub | undefined;
  let config: Config | undefined;
  const h: EngineHub = {
    clock,
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
    await clock.reset();
    config = loadConfig({ ...process.env, HUB_ENGINE: engine, PORT: String(await freePort()), SMTP_URL: `smtp://127.0.0.1:${opts.mail().port}`, OUTBOX_POLL_MS: '100', DEMO_KEYS: 'false', ...opts.env });
    hub = await startHub(config, createLogger((process.env.TEST_HUB_LOG as 'info' | undefined) ?? 'error'), { now: clock.now, workers: opts.workers, senders: opts.senders });
    clock.settleWith(engineMessagesDelivered(hub.store.ds));
  }, 120_000);
  afterAll(async () => {
    clock.settleWith(undefined);
    await hub?.close();
    await clock.reset();
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

