/**
 * `npm run bench`: the delivery spine under load, on each process engine side by side, and against
 * a bare Zeebe loop of the same shape.
 *
 *   npm run bench -- [--orders 300] [--concurrency 20] [--timeout-s 120] [--engines zeebe,camunda7]
 *   npm run bench -- --rate 20 --orders 600 --engines zeebe      (open loop: latency at an offered rate)
 *
 * Saturation (the default): C requests in flight, as fast as the hub answers — its throughput.
 * Open loop (--rate R): one POST every 1/R s whatever the answers, as callers arrive — the latency
 * a centre sees at that load (p50/p99 intake→dispatched); the bare loop starts its instances at the
 * same rate, which shows what of that latency is the engine's own on this machine.
 *
 * 1. Brings the local stack up with the engines asked for, and gives the hub a fresh database for
 *    each engine's run (hotline_hub_bench, dropped and created: every run starts from the same state).
 * 2. Runs the hub as `npm start` does, with its default configuration (only PORT, DATABASE_URL,
 *    LOG_LEVEL, HUB_ENGINE and DEMO_KEYS set), posts N orders at concurrency C as the demo call-taker, and
 *    times each order from its POST to its event on its unit's dispatched-orders topic. The hub's
 *    resident memory is sampled meanwhile; afterwards the run's instances are cancelled.
 * 3. Stops the hub and drives the same models on the same broker with no-op workers (the process
 *    id and task types renamed so that nothing of the hub's touches them): instance start to the
 *    completion of the dispatch task. Then cancels those instances.
 * 4. Prints the figures, writes them to test/bench/results/latest.json and appends a row with the
 *    machine to test/bench/RESULTS.md.
 *
 * A measuring tool, not a test: it asserts nothing and the suite does not run it.
 */
import { spawn, execSync, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import mysql from 'mysql2/promise';
import { Camunda8 } from '@camunda8/sdk';
import { kafkaBrokers, loadConfig, projectRoot, zeebeAddress } from '../../infra/config.js';
import { Stack } from '../../stack/index.js';
import { createKafka } from '../../infra/kafka.js';
import { dispatchedTopics, freePort, orderRequest as request } from '../support/harness.js';
import { cancelInstances, runPool } from '../support/instances.js';

const opts = new Command('bench')
  .option('--orders <n>', 'orders to post', (v) => Number(v), 300)
  .option('--concurrency <n>', 'requests in flight', (v) => Number(v), 20)
  .option('--engines <list>', 'process engines to run the hub on, side by side: zeebe, camunda7', 'zeebe,camunda7')
  .option('--warmup <n>', 'orders (and bare instances) run first and not measured, so that neither JIT starts cold', (v) => Number(v), 60)
  .option('--timeout-s <n>', 'how long to wait for every order to be dispatched', (v) => Number(v), 120)
  .option('--no-record', 'print only; do not write results files')
  .option('--profile', 'run the hub under node --cpu-prof and print where its CPU time went')
  .option('--rate <n>', 'open loop: post this many orders a second, whatever the answers (the bare loop starts instances at the same rate)', (v) => Number(v))
  .parse()
  .opts<{ orders: number; concurrency: number; warmup: number; timeoutS: number; record: boolean; profile?: boolean; engines: string; rate?: number }>();
if (opts.rate !== undefined && !(opts.rate > 0 && opts.rate <= 1000)) throw new Error(`--rate takes orders a second, more than 0 and at most 1000, not "${opts.rate}"`);
type Engine = 'zeebe' | 'camunda7';
const engines = opts.engines.split(',').map((e) => e.trim()) as Engine[];
if (engines.length === 0 || engines.some((e) => e !== 'zeebe' && e !== 'camunda7')) throw new Error(`--engines takes zeebe and/or camunda7, not "${opts.engines}"`);

const BENCH_DB = 'hotline_hub_bench';
const say = (s: string): void => console.log(`[bench] ${s}`);

const quantile = (xs: number[], q: number): number => {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)]!;
};

/** Resident memory (MiB) of the largest node process in the tree under pid. */
function treeRssMiB(root: number): number {
  let best = 0;
  const walk = (pid: number): void => {
    try {
      const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
      const rss = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
      if (/Name:\s+node/.test(status)) best = Math.max(best, rss);
      const children = fs.readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim();
      for (const c of children ? children.split(/\s+/) : []) walk(Number(c));
    } catch {
      // the process ended meanwhile
    }
  };
  walk(root);
  return Math.round(best);
}

/** CPU seconds (user + system) a process and its descendants have used so far. */
function treeCpuSeconds(root: number): number {
  let ticks = 0;
  const walk = (pid: number): void => {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(f[11]) + Number(f[12]);
      const children = fs.readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim();
      for (const c of children ? children.split(/\s+/) : []) walk(Number(c));
    } catch {
      // the process ended meanwhile
    }
  };
  walk(root);
  return ticks / 100; // USER_HZ
}

/** The processes that share the machine during a run: the stack's, the database's, the hub's. */
function components(config: ReturnType<typeof loadConfig>, hubPid?: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const name of ['zeebe', 'camunda7', 'kafka']) {
    try {
      out[name] = (JSON.parse(fs.readFileSync(path.join(projectRoot, config.HUB_CACHE_DIR, 'run', `${name}.json`), 'utf8')) as { pid: number }).pid;
    } catch {
      // not run by the local stack
    }
  }
  try {
    const db = execSync('pgrep -xo mariadbd || pgrep -xo mysqld', { encoding: 'utf8' }).trim();
    if (db) out.mysql = Number(db);
  } catch {
    // an external database
  }
  if (hubPid) out.hub = hubPid;
  return out;
}

/** CPU seconds so far of each component, and of this process alone (its children are the hub). */
const cpuSnapshot = (pids: Record<string, number>): Record<string, number> => {
  const own = process.cpuUsage();
  return { ...Object.fromEntries(Object.entries(pids).map(([k, pid]) => [k, treeCpuSeconds(pid)])), bench: (own.user + own.system) / 1e6 };
};

/** CPU cores each component kept busy on average between two snapshots. */
const cpuShare = (a: Record<string, number>, b: Record<string, number>, seconds: number): Record<string, number> =>
  Object.fromEntries(Object.keys(b).map((k) => [k, Math.round(((b[k]! - (a[k] ?? 0)) / seconds) * 100) / 100]));

interface HubFigures {
  posted: number;
  accepted: number;
  intakeRate: number;
  postP50Ms: number;
  postP99Ms: number;
  dispatched: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  latencyMaxMs: number;
  endToEndRate: number;
  rssMaxMiB: number;
  /** Cores each component kept busy, on average, from the first POST to the last event. */
  cpuCores: Record<string, number>;
}

async function benchHub(engine: Engine): Promise<HubFigures> {
  const base = loadConfig();
  const url = new URL(base.DATABASE_URL);
  const conn = await mysql.createConnection({ host: url.hostname, port: Number(url.port || 3306), user: decodeURIComponent(url.username), password: decodeURIComponent(url.password) });
  await conn.query(`DROP DATABASE IF EXISTS \`${BENCH_DB}\``);
  await conn.query(`CREATE DATABASE \`${BENCH_DB}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  await conn.end();
  url.pathname = `/${BENCH_DB}`;

  const port = await freePort();
  const env = { ...process.env, DATABASE_URL: url.toString(), PORT: String(port), LOG_LEVEL: 'warn', HUB_ENGINE: engine, DEMO_KEYS: 'true' };
  say(`starting the hub on ${engine} (npm start, defaults) on port ${port} with database ${BENCH_DB}`);
  const profileDir = path.join(projectRoot, base.HUB_CACHE_DIR, 'bench-profile');
  if (opts.profile) fs.rmSync(profileDir, { recursive: true, force: true });
  const hub: ChildProcess = opts.profile
    ? spawn(process.execPath, ['--cpu-prof', '--cpu-prof-dir', profileDir, '--import', 'tsx', 'hub/cli.ts', 'start'], { cwd: projectRoot, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true })
    : spawn('npm', ['start'], { cwd: projectRoot, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const hubLog = fs.createWriteStream(path.join(projectRoot, base.HUB_CACHE_DIR, 'bench-hub.log'));
  hub.stdout!.pipe(hubLog);
  hub.stderr!.pipe(hubLog);
  // The bench database is new, and DEMO_KEYS asks for demo keys: the bench posts as the demo call-taker.
  let started = '';
  await new Promise<void>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('the hub did not start within 120 s; see .cache/bench-hub.log')), 120_000);
    hub.stdout!.on('data', (c: Buffer) => {
      started += c.toString();
      if (started.includes('The hub is running')) {
        clearTimeout(t);
        resolve();
      }
    });
    hub.once('exit', (code) => reject(new Error(`the hub exited with ${code}; see .cache/bench-hub.log`)));
  });

  const callTaker = /HUB_KEY_CALL_TAKER=(\S+)/.exec(started)?.[1];
  if (!callTaker) throw new Error('the hub printed no demo call-taker key on a new database; see .cache/bench-hub.log');
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${callTaker}` };

  const received = new Map<string, number>();
  const kafka = createKafka(base, `bench-${randomUUID()}`);
  const consumer = kafka.consumer({ groupId: `bench-${randomUUID()}` });
  await consumer.connect();
  await consumer.subscribe({ topics: await dispatchedTopics(kafka), fromBeginning: false });
  const joined = new Promise<void>((r) => consumer.on(consumer.events.GROUP_JOIN, () => r()));
  await consumer.run({
    eachMessage: async ({ message }) => {
      const orderNo = (JSON.parse(message.value!.toString()) as { orderNo: string }).orderNo;
      if (!received.has(orderNo)) received.set(orderNo, Date.now());
    },
  });
  await joined;
  // A joined group starts from the latest offset only once it has fetched it: give it a moment.
  await new Promise((r) => setTimeout(r, 1000));

  if (opts.warmup > 0) {
    say(`warming up with ${opts.warmup} orders (not measured)`);
    const warm: string[] = [];
    await runPool([...Array(opts.warmup).keys()], opts.concurrency, async (i) => {
      const res = await fetch(`http://127.0.0.1:${port}/api/v1/orders`, { method: 'POST', headers, body: JSON.stringify(request(100_000 + i)) });
      if (res.status === 201) warm.push(((await res.json()) as { orderNo: string }).orderNo);
    });
    const until = Date.now() + opts.timeoutS * 1000;
    while (Date.now() < until && warm.some((o) => !received.has(o))) await new Promise((r) => setTimeout(r, 200));
  }

  const pids = components(base, hub.pid!);
  const cpu0 = cpuSnapshot(pids);
  let rssMax = treeRssMiB(hub.pid!);
  const sampler = setInterval(() => (rssMax = Math.max(rssMax, treeRssMiB(hub.pid!))), 500);

  const postedAt = new Map<string, number>();
  const postMs: number[] = [];
  let accepted = 0;
  const t0 = Date.now();
  const postOne = async (i: number): Promise<void> => {
    const start = Date.now();
    const res = await fetch(`http://127.0.0.1:${port}/api/v1/orders`, { method: 'POST', headers, body: JSON.stringify(request(i)) });
    postMs.push(Date.now() - start);
    if (res.status === 201) {
      accepted++;
      postedAt.set(((await res.json()) as { orderNo: string }).orderNo, start);
    } else {
      say(`POST answered ${res.status}: ${(await res.text()).slice(0, 200)}`);
    }
  };
  if (opts.rate) {
    // Open loop: the i-th order is posted at t0 + i/rate, whether or not the ones before were answered.
    say(`posting ${opts.orders} orders at ${opts.rate}/s (open loop)`);
    const inFlight: Array<Promise<void>> = [];
    for (let i = 0; i < opts.orders; i++) {
      const wait = t0 + (i * 1000) / opts.rate - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      inFlight.push(postOne(i));
    }
    await Promise.all(inFlight);
  } else {
    say(`posting ${opts.orders} orders, ${opts.concurrency} in flight`);
    await runPool([...Array(opts.orders).keys()], opts.concurrency, postOne);
  }
  const intakeSeconds = (Date.now() - t0) / 1000;
  say(`intake done in ${intakeSeconds.toFixed(1)} s; waiting up to ${opts.timeoutS} s for the dispatched events`);
  const deadline = Date.now() + opts.timeoutS * 1000;
  while (Date.now() < deadline && [...postedAt.keys()].some((o) => !received.has(o))) await new Promise((r) => setTimeout(r, 200));
  clearInterval(sampler);
  const cpu1 = cpuSnapshot(pids);

  const latencies = [...postedAt].filter(([o]) => received.has(o)).map(([o, at]) => received.get(o)! - at);
  const last = Math.max(...[...postedAt.keys()].filter((o) => received.has(o)).map((o) => received.get(o)!));
  await consumer.disconnect();
  say('stopping the hub');
  process.kill(-hub.pid!, 'SIGTERM');
  await new Promise((r) => hub.once('exit', r));
  if (opts.profile) printProfile(profileDir);
  await cancelOrderInstances(url.toString(), base, engine);
  return {
    posted: opts.orders,
    accepted,
    intakeRate: accepted / intakeSeconds,
    postP50Ms: quantile(postMs, 0.5),
    postP99Ms: quantile(postMs, 0.99),
    dispatched: latencies.length,
    latencyP50Ms: quantile(latencies, 0.5),
    latencyP99Ms: quantile(latencies, 0.99),
    latencyMaxMs: Math.max(...latencies),
    endToEndRate: latencies.length / ((last - t0) / 1000),
    rssMaxMiB: rssMax,
    cpuCores: cpuShare(cpu0, cpu1, (last - t0) / 1000),
  };
}

/** Self time of the hub's busiest functions, from the .cpuprofile node wrote at exit. */
function printProfile(dir: string): void {
  const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.cpuprofile')) : [];
  if (files.length === 0) return say('no CPU profile was written');
  const biggest = files.map((f) => path.join(dir, f)).sort((a, b) => fs.statSync(b).size - fs.statSync(a).size)[0]!;
  const prof = JSON.parse(fs.readFileSync(biggest, 'utf8')) as {
    nodes: Array<{ id: number; callFrame: { functionName: string; url: string; lineNumber: number } }>;
    samples: number[];
    timeDeltas: number[];
  };
  const byNode = new Map(prof.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  const byPackage = new Map<string, number>();
  let total = 0;
  prof.samples.forEach((id, i) => {
    const n = byNode.get(id)!;
    const dt = prof.timeDeltas[i] ?? 0;
    total += dt;
    const url = n.callFrame.url.replace(`file://${projectRoot}/`, '');
    const key = `${n.callFrame.functionName || '(anonymous)'} ${url}:${n.callFrame.lineNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + dt);
    const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1] ?? (url.startsWith('node:') ? 'node core' : url === '' ? `(${n.callFrame.functionName})` : 'hub code');
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + dt);
  });
  const top = (m: Map<string, number>, k: number) => [...m].sort((a, b) => b[1] - a[1]).slice(0, k).map(([name, us]) => `  ${((us / total) * 100).toFixed(1).padStart(5)}%  ${name}`);
  console.log(`\nhub CPU profile (${path.relative(projectRoot, biggest)}), self time by package:\n${top(byPackage, 15).join('\n')}\nby function:\n${top(self, 20).join('\n')}`);
}

/**
 * The bench's own Zeebe client: the SDK's default unbounded retries, like a plain client of the
 * bare loop would have (the hub's client gives up after a few and lets its outbox retry); its
 * workers ask for jobs as often as the hub's (ZEEBE_POLL_INTERVAL_MS), so that the two compare.
 */
const benchZeebe = (config: ReturnType<typeof loadConfig>) =>
  new Camunda8({ ZEEBE_GRPC_ADDRESS: `grpc://${zeebeAddress(config)}`, CAMUNDA_AUTH_STRATEGY: 'NONE', zeebeGrpcSettings: { ZEEBE_CLIENT_LOG_LEVEL: 'NONE', ZEEBE_GRPC_WORKER_POLL_INTERVAL_MS: config.ZEEBE_POLL_INTERVAL_MS } }).getZeebeGrpcApiClient();

/** Leaves the broker as the run found it: the bench's orders wait for unit replies that never come. */
async function cancelOrderInstances(databaseUrl: string, config: ReturnType<typeof loadConfig>, engine: Engine): Promise<void> {
  const u = new URL(databaseUrl);
  const conn = await mysql.createConnection({ host: u.hostname, port: Number(u.port || 3306), user: decodeURIComponent(u.username), password: decodeURIComponent(u.password), database: u.pathname.slice(1) });
  const [rows] = await conn.query('SELECT process_instance_key AS k FROM work_order WHERE process_instance_key IS NOT NULL');
  await conn.end();
  await cancelInstances(config, engine, (rows as Array<{ k: string }>).map((r) => r.k));
}

interface BareFigures {
  instances: number;
  completed: number;
  rate: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  cpuCores: Record<string, number>;
}

/** The hub's own models with no-op workers, renamed so that no hub worker or message touches them. */
async function benchBare(): Promise<BareFigures> {
  const config = loadConfig();
  const zeebe = benchZeebe(config);
  const sources = ['work-order.bpmn', 'handle-order.bpmn'].map((f) => fs.readFileSync(path.join(projectRoot, 'bpmn', f), 'utf8'));
  const processIds = sources.map((src) => /<bpmn:process id="([^"]+)"/.exec(src)![1]!);
  const bareId = `bench-bare-${processIds[0]}`;
  const taskTypes = sources.flatMap((src) => [...src.matchAll(/zeebe:taskDefinition type="([^"]+)"/g)].map((m) => m[1]!));
  const rename = (src: string): string => {
    let xml = src;
    for (const id of processIds) {
      xml = xml.replaceAll(`id="${id}"`, `id="bench-bare-${id}"`).replaceAll(`bpmnElement="${id}"`, `bpmnElement="bench-bare-${id}"`).replaceAll(`processId="${id}"`, `processId="bench-bare-${id}"`);
    }
    for (const t of taskTypes) xml = xml.replaceAll(`type="${t}"`, `type="bench-bare-${t}"`);
    // Message names too, so that nothing the hub publishes can reach a bare instance.
    return xml.replace(/<bpmn:message id="([^"]+)" name="([^"]+)"/g, '<bpmn:message id="$1" name="bench-bare-$2"');
  };
  const [xml, handleXml] = sources.map(rename) as [string, string];
  const messageStart = /<bpmn:startEvent[^>]*>[\s\S]*?<bpmn:messageEventDefinition[^>]*messageRef="([^"]+)"/.exec(xml);
  for (const dmn of ['dispatch.dmn', 'handling-policy.dmn']) await zeebe.deployResource({ decisionFilename: path.join(projectRoot, 'bpmn', dmn) });
  await zeebe.deployResource({ process: Buffer.from(handleXml), name: `bench-bare-${processIds[1]}.bpmn` });
  await zeebe.deployResource({ process: Buffer.from(xml), name: `${bareId}.bpmn` });

  const startedAt = new Map<string, number>();
  const doneAt = new Map<string, number>();
  /** Root instances to cancel at the end (they wait for the unit's answer). */
  const keys: string[] = [];
  const farFuture = new Date(Date.now() + 30 * 86400_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const workers = [...new Set(taskTypes)].map((t) =>
    zeebe.createWorker({
      taskType: `bench-bare-${t}`,
      maxJobsToActivate: 32,
      taskHandler: (job) => {
        const ref = String((job.variables as { benchRef?: string }).benchRef);
        if (t === 'classify-order') keys.push(String(job.processInstanceKey));
        if (t === 'dispatch-order') doneAt.set(ref, Date.now());
        return job.complete(
          t === 'dispatch-order' ? { dueAt: farFuture, acknowledgeBy: farFuture, remindAt: farFuture, escalateAt: farFuture, dispatchSeq: 1, acknowledged: false, unit: 'water-group' } : {},
        );
      },
    }),
  );
  const start = async ({ i, ref }: { i: number; ref: string }): Promise<void> => {
    const r = request(i);
    const variables = { benchRef: ref, orderNo: `GD${ref}`, correlationId: ref, category: r.category, district: r.district, urgent: false, redoCount: 0 };
    startedAt.set(ref, Date.now());
    if (messageStart) {
      const name = new RegExp(`<bpmn:message id="${messageStart[1]}" name="([^"]+)"`).exec(xml)![1]!;
      await zeebe.publishMessage({ name, correlationKey: ref, messageId: ref, timeToLive: 0, variables });
    } else {
      await zeebe.createProcessInstance({ bpmnProcessId: bareId, variables });
    }
  };
  const drive = async (list: Array<{ i: number; ref: string }>, rate?: number): Promise<void> => {
    if (!rate) return runPool(list, opts.concurrency, start);
    const t0 = Date.now();
    const inFlight: Array<Promise<void>> = [];
    for (const [n, item] of list.entries()) {
      const wait = t0 + (n * 1000) / rate - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      inFlight.push(start(item));
    }
    await Promise.all(inFlight);
  };
  const waitDone = async (list: Array<{ ref: string }>): Promise<void> => {
    const deadline = Date.now() + opts.timeoutS * 1000;
    while (Date.now() < deadline && list.some(({ ref }) => !doneAt.has(ref))) await new Promise((r) => setTimeout(r, 100));
  };
  if (opts.warmup > 0) {
    const warm = Array.from({ length: opts.warmup }, (_, i) => ({ i, ref: randomUUID() }));
    await drive(warm);
    await waitDone(warm);
  }
  const refs = Array.from({ length: opts.orders }, (_, i) => ({ i, ref: randomUUID() }));
  say(`bare Zeebe loop: ${opts.orders} instances of ${bareId}, ${opts.rate ? `${opts.rate}/s (open loop)` : `${opts.concurrency} in flight`}`);
  const pids = components(config);
  const cpu0 = cpuSnapshot(pids);
  const t0 = Date.now();
  await drive(refs, opts.rate);
  await waitDone(refs);
  const last = Math.max(...refs.filter(({ ref }) => doneAt.has(ref)).map(({ ref }) => doneAt.get(ref)!));
  const cpu1 = cpuSnapshot(pids);
  const latencies = refs.filter(({ ref }) => doneAt.has(ref)).map(({ ref }) => doneAt.get(ref)! - startedAt.get(ref)!);
  await Promise.all(workers.map((w) => w.close()));
  // Leave the broker as it was: the bare instances wait for the unit's answer.
  await runPool(keys, 20, async (k) => void (await zeebe.cancelProcessInstance(k).catch(() => undefined)));
  await zeebe.close();
  return {
    instances: refs.length,
    completed: latencies.length,
    rate: latencies.length / ((last - t0) / 1000),
    latencyP50Ms: quantile(latencies, 0.5),
    latencyP99Ms: quantile(latencies, 0.99),
    cpuCores: cpuShare(cpu0, cpu1, (last - t0) / 1000),
  };
}

function machine(): string {
  const cpu = os.cpus()[0]?.model.trim() ?? 'unknown CPU';
  const memGiB = Math.round(os.totalmem() / 2 ** 30);
  return `${os.cpus().length} cores (${cpu}), ${memGiB} GiB, ${os.type()} ${os.release()}, Node ${process.version}`;
}

const config = loadConfig();
await new Stack(config, (l) => say(l)).up(true, engines);
say(`stack: ${engines.join(' and ')}, Kafka ${config.KAFKA_VERSION} at ${kafkaBrokers(config).join(',')}`);
const hubs: Partial<Record<Engine, HubFigures>> = {};
for (const engine of engines) hubs[engine] = await benchHub(engine);
// The bare loop drives the same models with no-op workers on Zeebe: what the hub adds to the engine.
const bare = engines.includes('zeebe') ? await benchBare() : undefined;
const ratio = hubs.zeebe && bare ? hubs.zeebe.endToEndRate / bare.rate : NaN;
const commit = (() => {
  try {
    return execSync('git rev-parse --short HEAD', { cwd: projectRoot }).toString().trim();
  } catch {
    return 'unknown';
  }
})();
const result = { at: new Date().toISOString(), commit, machine: machine(), orders: opts.orders, concurrency: opts.concurrency, rate: opts.rate ?? null, hub: hubs.zeebe, hubs, bare, ratio };
const load = opts.rate ? `${opts.orders} at ${opts.rate}/s (open loop)` : `${opts.orders} / ${opts.concurrency}`;
const f = (n: number, d = 0): string => (Number.isFinite(n) ? n.toFixed(d) : '-');
for (const [engine, hub] of Object.entries(hubs) as Array<[Engine, HubFigures]>) {
  console.log(`
hub on ${engine}: ${hub.accepted}/${hub.posted} accepted, intake ${f(hub.intakeRate, 1)}/s (POST p50 ${f(hub.postP50Ms)} ms, p99 ${f(hub.postP99Ms)} ms)
      ${hub.dispatched}/${hub.accepted} dispatched on Kafka; intake→dispatched p50 ${f(hub.latencyP50Ms)} ms, p99 ${f(hub.latencyP99Ms)} ms, max ${f(hub.latencyMaxMs)} ms
      end to end ${f(hub.endToEndRate, 1)} orders/s; hub RSS max ${hub.rssMaxMiB} MiB
cpu   cores busy: ${Object.entries(hub.cpuCores).map(([k, v]) => `${k} ${v}`).join(', ')}`);
}
if (bare) {
  console.log(`bare  ${bare.completed}/${bare.instances} instances reached dispatch on Zeebe: ${f(bare.rate, 1)}/s (p50 ${f(bare.latencyP50Ms)} ms, p99 ${f(bare.latencyP99Ms)} ms)
cpu   cores busy, bare run: ${Object.entries(bare.cpuCores).map(([k, v]) => `${k} ${v}`).join(', ')}${opts.rate ? '' : `\nratio hub on zeebe / bare ${f(ratio, 2)}`}`);
}
console.log(`${opts.rate ? `offered ${opts.rate} orders/s (open loop); target: intake→dispatched p99 < 500 ms at 20/s` : 'targets: ≥ 50 orders/s, p99 < 1000 ms, ratio ≥ 0.7, RSS < 300 MiB'}
machine ${result.machine}`);
if (opts.record) {
  const dir = path.join(projectRoot, 'test/bench/results');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, opts.rate ? 'latest-rate.json' : 'latest.json'), `${JSON.stringify(result, null, 2)}\n`);
  const table = path.join(projectRoot, 'test/bench/RESULTS.md');
  if (!fs.existsSync(table)) {
    fs.writeFileSync(table, '# Bench results\n\n`npm run bench` appends a row per run.\n\n| when (UTC) | commit | orders / in flight | accepted | intake/s | dispatched | p50 ms | p99 ms | max ms | end-to-end/s | bare/s | ratio | hub RSS MiB | machine |\n| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n');
  }
  for (const [engine, hub] of Object.entries(hubs) as Array<[Engine, HubFigures]>) {
    const zeebe = engine === 'zeebe';
    fs.appendFileSync(table, `| ${result.at.slice(0, 16).replace('T', ' ')} | ${commit}${zeebe ? '' : ` (${engine})`} | ${load} | ${hub.accepted} | ${f(hub.intakeRate, 1)} | ${hub.dispatched} | ${f(hub.latencyP50Ms)} | ${f(hub.latencyP99Ms)} | ${f(hub.latencyMaxMs)} | ${f(hub.endToEndRate, 1)} | ${zeebe && bare ? (opts.rate ? `p50 ${f(bare.latencyP50Ms)}, p99 ${f(bare.latencyP99Ms)} ms` : f(bare.rate, 1)) : '-'} | ${zeebe && !opts.rate ? f(ratio, 2) : '-'} | ${hub.rssMaxMiB} | ${result.machine} |\n`);
  }
  say('written: test/bench/results/latest.json and a row in test/bench/RESULTS.md');
}
process.exit(0);
