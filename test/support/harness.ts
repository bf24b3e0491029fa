/**
 * What the integration tests of the spine share: hub processes, an SMTP server that records what
 * it receives, a Kafka reader of the dispatched topic, and order requests. Everything talks to
 * loopback only, and every helper returns a way to stop what it started.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import net from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { SMTPServer } from 'smtp-server';
import { loadConfig, projectRoot } from '../../infra/config.js';
import { loadCatalog } from '../../domain/catalog.js';
import { unitTopics } from '../../domain/events.js';
import { CONSUMER_MAX_WAIT_MS, createKafka, ensureTopics, readFromNowOn, runConsumer } from '../../infra/kafka.js';
import { createLogger } from '../../infra/log.js';

export const freePort = (): Promise<number> =>
  new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export async function until(what: string, check: () => Promise<boolean> | boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(200);
  }
}

export interface HubProcess {
  proc: ChildProcess;
  url: string;
  output: () => string;
  /** Sends the signal and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/**
 * Compiles the hub to JavaScript (npm run build: tsconfig.build.json, into dist/) as the container
 * image does. A failed build says what tsc printed (it writes its errors to stdout, which a failed
 * execFile's message leaves out) and any signal.
 */
export async function buildHub(): Promise<void> {
  await promisify(execFile)(path.join(projectRoot, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.build.json'], { cwd: projectRoot, timeout: 240_000 }).catch((err: { message: string; stdout?: string; signal?: string }) => {
    throw new Error(`${err.message.trim()} (signal ${err.signal ?? 'none'}):\n${(err.stdout ?? '').slice(-3000)}`);
  });
}

/**
 * Runs `hub start` as its own process, as an operator would, with these settings on top: with tsx
 * from the sources, or `compiled` from dist/ (buildHub first) with node, as production runs it.
 */
export async function spawnHub(env: Record<string, string>, opts: { compiled?: boolean } = {}): Promise<HubProcess> {
  const port = await freePort();
  let out = '';
  const args = opts.compiled ? [path.join(projectRoot, 'dist/hub/cli.js'), 'start'] : ['--import', 'tsx', path.join(projectRoot, 'hub/cli.ts'), 'start'];
  const proc = spawn(process.execPath, args, {
    cwd: projectRoot,
    env: { ...process.env, LOG_LEVEL: 'warn', OUTBOX_POLL_MS: '100', PORT: String(port), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  proc.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  proc.stderr!.on('data', (c: Buffer) => (out += c.toString()));
  const exited = new Promise<number | null>((r) => proc.once('exit', (code) => r(code)));
  await Promise.race([
    until('the hub to start', () => out.includes('The hub is running'), 90_000),
    exited.then((code) => {
      throw new Error(`the hub exited with ${code} while starting:\n${out.slice(-2000)}`);
    }),
  ]);
  return {
    proc,
    url: `http://127.0.0.1:${port}/api/v1`,
    output: () => out,
    stop: async (signal = 'SIGTERM') => {
      if (proc.exitCode !== null || proc.signalCode !== null) return proc.exitCode;
      proc.kill(signal);
      return exited;
    },
  };
}

export interface Mailbox {
  port: number;
  /** Order number → how many e-mails about it arrived. */
  byOrder: Map<string, number>;
  /** Order number → the addresses the e-mails about it went to. */
  recipients: Map<string, string[]>;
  /** A mail's X-Hotline-Ref (what a mail about no one order is about: circular:<id>) → the addresses it went to. */
  byRef: Map<string, string[]>;
  close(): Promise<void>;
}

/**
 * An SMTP server on loopback; on `port` when given (a test that takes the server down and brings it
 * back). `delayMs`: each message is accepted only after that long (a slow mail server).
 */
export async function startSmtp(port?: number, opts: { delayMs?: number } = {}): Promise<Mailbox> {
  const byOrder = new Map<string, number>();
  const recipients = new Map<string, string[]>();
  const byRef = new Map<string, string[]>();
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, cb) {
      let raw = '';
      stream.on('data', (c: Buffer) => (raw += c.toString('utf8')));
      stream.on('end', () => {
        const orderNo = /X-Hotline-Order-No: (GD\d{14})/.exec(raw)?.[1];
        if (orderNo) byOrder.set(orderNo, (byOrder.get(orderNo) ?? 0) + 1);
        if (orderNo) recipients.set(orderNo, [...(recipients.get(orderNo) ?? []), ...session.envelope.rcptTo.map((r) => r.address)]);
        const ref = /X-Hotline-Ref: (\S+)/.exec(raw)?.[1];
        if (ref) byRef.set(ref, [...(byRef.get(ref) ?? []), ...session.envelope.rcptTo.map((r) => r.address)]);
        if (opts.delayMs) setTimeout(cb, opts.delayMs);
        else cb();
      });
    },
  });
  const at = port ?? (await freePort());
  await new Promise<void>((r) => smtp.listen(at, '127.0.0.1', () => r()));
  return { port: at, byOrder, recipients, byRef, close: () => new Promise<void>((r) => smtp.close(() => r())) };
}

export interface DispatchedReader {
  /** Order number → the event ids that arrived for it (one per message). */
  byOrder: Map<string, string[]>;
  /** Order number → the topics its events arrived on. */
  topicsOf: Map<string, string[]>;
  /** Order number → the types of its events (order.dispatched, order.cancelled), in order of arrival. */
  typesOf: Map<string, string[]>;
  close(): Promise<void>;
}

/** Every unit's dispatched-orders topic, created here when no hub has created them yet. */
export async function dispatchedTopics(kafka: ReturnType<typeof createKafka>): Promise<string[]> {
  const config = loadConfig();
  const topics = loadCatalog(path.resolve(projectRoot, config.CATALOG_FILE)).units.map((u) => unitTopics(u.code).dispatched);
  await ensureTopics(kafka, topics);
  return topics;
}

/** Reads every unit's dispatched-orders topic from now on, with a group of its own. */
export async function readDispatched(): Promise<DispatchedReader> {
  const byOrder = new Map<string, string[]>();
  const topicsOf = new Map<string, string[]>();
  const typesOf = new Map<string, string[]>();
  const kafka = createKafka(loadConfig(), `test-${randomUUID()}`);
  const topics = await dispatchedTopics(kafka);
  const groupId = `test-${randomUUID()}`;
  // A short session: after Kafka was stopped (the fault tests), the group waits out its lost
  // member's session before the reader's new one joins (kafkajs's 30 s by default).
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: CONSUMER_MAX_WAIT_MS, sessionTimeout: 6000, heartbeatInterval: 1000 });
  // Its position committed at once: a reader that rejoins after Kafka was down resumes there, and
  // does not skip to the end past what was sent while it rejoined.
  const fromNowOn = await readFromNowOn(kafka, consumer, groupId, topics);
  await consumer.connect();
  await consumer.subscribe({ topics, fromBeginning: false });
  const joined = new Promise<void>((r) => consumer.on(consumer.events.GROUP_JOIN, () => r()));
  const running = await runConsumer(consumer, {
    eachMessage: async ({ topic, message }) => {
      const e = JSON.parse(message.value!.toString()) as { id: string; orderNo: string; type: string };
      typesOf.set(e.orderNo, [...(typesOf.get(e.orderNo) ?? []), e.type]);
      // The dispatches (a cancellation notice is not one).
      if (e.type !== 'order.dispatched') return;
      byOrder.set(e.orderNo, [...(byOrder.get(e.orderNo) ?? []), e.id]);
      topicsOf.set(e.orderNo, [...(topicsOf.get(e.orderNo) ?? []), topic]);
    },
  }, createLogger('warn'));
  await joined;
  await fromNowOn.committed();
  return {
    byOrder,
    topicsOf,
    typesOf,
    close: async () => {
      running.stop();
      await consumer.disconnect();
    },
  };
}

/** One caller per request and run: a run's orders are never repeat calls (重复件) of each other or of an earlier run's. */
const RUN = randomUUID();
const callerPhone = (i: number): string => `1${(parseInt(createHash('sha256').update(`${RUN}:${i}`).digest('hex').slice(0, 12), 16) % 1e10).toString().padStart(10, '0')}`;

export const orderRequest = (i: number, over: Record<string, unknown> = {}) => ({
  channel: 'phone',
  type: 'help',
  category: ['water-outage', 'gas-fault', 'road-damage', 'noise'][i % 4]!,
  title: `故障测试 ${i}`,
  description: '投递可靠性测试',
  district: ['hexi', 'heping', 'nankai', 'binhai'][i % 4]!,
  // Each caller at a place of their own: with the shipped repeats rule (the bench runs the hub as
  // npm start does), one address for all would merge every order into the first.
  address: `测试路${i}号`,
  citizen: { name: '测试人', phone: callerPhone(i), confidential: false },
  ...over,
});

/** Posts an order with a call-taker's key; resolves with the HTTP status and the order number when one was given. */
export async function postOrder(base: string, body: unknown, token: string): Promise<{ status: number; orderNo?: string }> {
  const res = await fetch(`${base}/orders`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(body) });
  const json = (await res.json()) as { orderNo?: string };
  return { status: res.status, orderNo: json.orderNo };
}

export async function postAll(bases: string[], n: number, concurrency: number, token: string, offset = 0): Promise<string[]> {
  const orderNos: string[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) {
        const i = next++;
        const r = await postOrder(bases[i % bases.length]!, orderRequest(offset + i), token);
        if (r.status !== 201 || !r.orderNo) throw new Error(`POST ${i} answered ${r.status}`);
        orderNos.push(r.orderNo);
      }
    }),
  );
  return orderNos;
}
