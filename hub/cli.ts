#!/usr/bin/env -S npx tsx
/**
 * The `hub` command: `hub stack up|down|status|logs` for the local stack (npm run stack -- ...),
 * and `hub start` for the hub itself.
 */
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROLES, type Role } from '../domain/access.js';
import { findUnit } from '../domain/catalog.js';
import { ConfigError, loadConfig, configTableMarkdown, kafkaBrokers, projectRoot, zeebeAddress } from '../infra/config.js';
import { CLUSTER_COMPONENTS, formatStatus, JAVA_COMPONENTS, Stack, StackError } from '../stack/index.js';
import type { Core } from './core.js';
import type { Engine } from '../infra/engine/engine.js';
import { HubError } from '../infra/errors.js';
import type { ModelDeps } from '../usecases/models.js';
import { createLogger } from '../infra/log.js';
import { RemoteRefusal } from './remote.js';
import { readOrUsage, UsageError } from './usage.js';

// Each command loads what it uses when it runs: `hub --help` or `hub stuck` need not load the
// gateway, the engines' clients, Kafka, bpmnlint and every worker (seconds on a busy machine).
const lazy = {
  compose: () => import('./compose.js'),
  core: () => import('./core.js'),
  operations: () => import('../usecases/operations.js'),
  models: () => import('../usecases/models.js'),
  ops: () => import('../infra/db/operations.js'),
  modelStore: () => import('../infra/db/models.js'),
  modelChecks: () => import('../infra/engine/model-checks.js'),
  engine: () => import('../infra/engine/engine.js'),
  kafka: () => import('../infra/kafka.js'),
  workers: () => import('../workers/index.js'),
  stuck: () => import('./operations.js'),
  adapters: () => import('../adapters/registry.js'),
  kit: () => import('../adapters/kit/settings.js'),
  keys: () => import('../infra/auth/keys.js'),
  remote: () => import('./remote.js'),
};

const VERSION = (JSON.parse(fs.readFileSync(path.join(projectRoot, 'package.json'), 'utf8')) as { version: string }).version;

// A command used wrongly says so in one line (commander's, with a pointer to the help) and exits 2;
// a refusal of what it was asked exits 1; --help and --version exit 0.
const program = new Command('hub')
  .description('12345 hotline integration hub')
  .version(VERSION, '-V, --version', 'the hub\'s version')
  .exitOverride()
  .showSuggestionAfterError()
  .configureOutput({ outputError: (text, write) => write(`${text.trimEnd()} (hub --help)\n`) });

/** The local stack; `cluster`: as clusters whatever STACK_CLUSTER says (`--cluster`). */
function stack(cluster?: boolean): Stack {
  return new Stack(loadConfig(cluster ? { ...process.env, STACK_CLUSTER: 'true' } : process.env));
}

const stackCmd = program.command('stack').description('the local Zeebe, Kafka and MySQL the hub needs');
stackCmd
  .command('up')
  .description('resolve (first time), start and wait for Zeebe and Kafka; check MySQL and create the database')
  .option('--cluster', 'three Zeebe brokers behind a gateway and three Kafka brokers (STACK_CLUSTER=true)')
  .option('--json', 'as JSON, for scripts')
  .action(async (opts: { json?: boolean; cluster?: boolean }) => {
    const rows = await stack(opts.cluster).up();
    console.log(opts.json ? JSON.stringify(rows, null, 2) : formatStatus(rows));
    if (opts.cluster && !opts.json) {
      const config = loadConfig({ ...process.env, STACK_CLUSTER: 'true' });
      console.log(`\nThe hub uses it with STACK_CLUSTER=true (npm start), or with ZEEBE_ADDRESS=${zeebeAddress(config)} KAFKA_BROKERS=${kafkaBrokers(config).join(',')}`);
    }
  });
stackCmd
  .command('fetch')
  .description('download Zeebe, Camunda 7 and Kafka from Maven Central (first time) without starting them')
  .option('--all', 'both process engines, whatever HUB_ENGINE says (what the tests run)')
  .action(async (opts: { all?: boolean }) => {
    const config = loadConfig();
    await new Stack(config).fetch(opts.all ? ['zeebe', 'camunda7'] : [config.HUB_ENGINE]);
  });
stackCmd
  .command('down')
  .description('stop the processes this stack started')
  .option('--json', 'as JSON, for scripts')
  .action(async (opts: { json?: boolean }) => {
    const lines = await stack().down();
    if (opts.json) return console.log(JSON.stringify(lines));
    for (const line of lines) console.log(line);
  });
stackCmd
  .command('status')
  .description('version, pid, ports, health and memory of each component')
  .option('--cluster', 'of the cluster stack (STACK_CLUSTER=true)')
  .option('--json', 'as JSON, for scripts')
  .action(async (opts: { json?: boolean; cluster?: boolean }) => {
    const rows = await stack(opts.cluster).status();
    console.log(opts.json ? JSON.stringify(rows, null, 2) : formatStatus(rows));
  });
stackCmd
  .command('logs')
  .description('the last lines of the component logs')
  .argument('[component]', 'zeebe, camunda7 or kafka; zeebe-1…3, zeebe-gateway, kafka-1…3 of the cluster stack (all when left out)')
  .option('-n, --lines <n>', 'how many lines', (v) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('a whole number ≥ 1');
    return n;
  }, 50)
  .action((component: string | undefined, opts: { lines: number }) => {
    const known = [...JAVA_COMPONENTS, ...CLUSTER_COMPONENTS] as readonly string[];
    if (component && !known.includes(component)) {
      throw new InvalidArgumentError(`unknown component "${component}": ${known.join(', ')}`);
    }
    console.log(stack(!!component && (CLUSTER_COMPONENTS as readonly string[]).includes(component)).logs(component, opts.lines));
  });

program
  .command('start')
  .description('bring the local stack up when it is not running (LOCAL_STACK=true, development), then run the hub')
  .action(async () => {
    const config = loadConfig();
    // In production (LOCAL_STACK=false) the services are named and nothing is started here.
    if (config.LOCAL_STACK) console.log(formatStatus(await new Stack(config).up(true)));
    const { startHub } = await lazy.compose();
    const hub = await startHub(config);
    if (hub.demoKeys.length > 0) {
      console.log('\nDemo keys, one per role, valid 30 days. They are printed this once: the database keeps only their hashes.');
      console.log('Use one as "Authorization: Bearer <key>"; `npm run hub -- keys list` lists them, `keys revoke ID` ends one.');
      for (const k of hub.demoKeys) console.log(`  export HUB_KEY_${k.role.toUpperCase().replace(/-/g, '_')}=${k.token}   # ${k.name}${k.unit ? ` (${k.unit})` : ''}`);
    }
    if (hub.url) console.log(`\nThe hub is running. API: ${hub.url}/api/v1  (OpenAPI: ${hub.url}/api/v1/openapi.json)\nStop with Ctrl+C; the stack keeps running (npm run stack -- down stops it).`);
    else console.log(`\nThe hub is running (roles: ${config.HUB_ROLES}).`);
    // SIGTERM/SIGINT: stop intake, let jobs and outbox claims in flight finish, then exit.
    const stop = async (signal: string): Promise<void> => {
      hub.log.info({ signal }, 'stopping: intake first, then workers, then the relay');
      const force = setTimeout(() => {
        hub.log.error({ stopping: hub.stopping() }, `stopping took more than 30 s (still stopping ${hub.stopping() ?? 'nothing'}); exiting anyway (claimed outbox rows are retried after their lease)`);
        process.exit(1);
      }, 30_000);
      await hub.close();
      clearTimeout(force);
      hub.log.info('stopped');
      process.exit(0);
    };
    process.once('SIGINT', () => void stop('SIGINT'));
    process.once('SIGTERM', () => void stop('SIGTERM'));
  });

const outboxCmd = program.command('outbox').description('the outbox: what waits to be delivered, what was parked, and replaying it');
/**
 * Progress for a person at a terminal: a step that takes more than a second says so on stderr
 * (what it does, then how long it took); scripts without a terminal see nothing, and stdout (--json)
 * stays clean either way.
 */
async function step<T>(what: string, fn: () => Promise<T>): Promise<T> {
  if (!process.stderr.isTTY) return fn();
  const started = Date.now();
  let shown = false;
  const timer = setTimeout(() => {
    shown = true;
    process.stderr.write(`${what}…`);
  }, 1000);
  try {
    return await fn();
  } finally {
    clearTimeout(timer);
    if (shown) process.stderr.write(` ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  }
}

const withCore = async <T>(fn: (core: Core) => Promise<T>): Promise<T> => {
  const { openCore } = await lazy.core();
  const core = await step('connecting to the database', () => openCore(loadConfig(), createLogger('warn')));
  try {
    return await fn(core);
  } finally {
    await core.close();
  }
};
outboxCmd
  .command('status')
  .description('rows waiting and parked, per channel, and the oldest waiting')
  .option('--json', 'as JSON, for scripts')
  .action((opts: { json?: boolean }) =>
    withCore(async ({ outbox }) => {
      const rows = await outbox.counts();
      if (opts.json) return console.log(JSON.stringify(rows, null, 2));
      if (rows.length === 0) return console.log('the outbox is empty: everything was delivered');
      for (const r of rows) console.log(`${r.channel.padEnd(6)} waiting ${String(r.pending).padStart(6)}  parked ${String(r.parked).padStart(6)}  oldest waiting since ${r.oldestPendingAt?.toISOString() ?? '-'}`);
    }),
  );
outboxCmd
  .command('parked')
  .alias('list')
  .description('rows that will not be retried until replayed, with their last error')
  .option('--limit <n>', 'how many', (v) => Number(v), 100)
  .option('--json', 'as JSON, for scripts (without the content: it carries personal data)')
  .action((opts: { limit: number; json?: boolean }) =>
    withCore(async ({ outbox }) => {
      const rows = await outbox.parked(opts.limit);
      if (opts.json) return console.log(JSON.stringify(rows.map(({ payload: _content, ...r }) => r), null, 2));
      if (rows.length === 0) return console.log('no parked rows');
      for (const r of rows) console.log(`${r.id}  ${r.channel}  order ${r.aggregateKey ?? '-'}  to ${r.channel === 'sms' ? `${r.destination.slice(0, 3)}****${r.destination.slice(-4)}` : r.destination}  attempts ${r.attempts}  parked ${new Date(r.parkedAt!).toISOString()}\n    ${r.lastError ?? ''}`);
    }),
  );
outboxCmd
  .command('replay')
  .description('put parked rows back in the queue with a fresh count of attempts')
  .argument('[ids...]', 'outbox row ids (from `hub outbox parked`)')
  .option('--all', 'every parked row')
  .option('--json', 'as JSON, for scripts')
  .action((ids: string[], opts: { all?: boolean; json?: boolean }) => {
    if (!opts.all && ids.length === 0) throw new InvalidArgumentError('name the rows to replay, or say --all');
    return withCore(async ({ outbox, audit }) => {
      const n = await outbox.replay(opts.all ? undefined : ids);
      await audit.record({ actorKey: null, actor: cliActor(), role: null, unitCode: null, action: 'cli outbox replay', target: opts.all ? 'all' : ids.join(',').slice(0, 64), outcome: `${n} rows`, source: 'cli', requestId: null });
      if (opts.json) return console.log(JSON.stringify({ replayed: n }));
      console.log(`${n} row(s) back in the queue; a running hub delivers them within OUTBOX_POLL_MS`);
    });
  });

outboxCmd
  .command('republish')
  .description('sends again a message already delivered that its receiver did not take (hub stuck says which: message-waiting): an engine message with a new message id, a Kafka event as it was')
  .argument('<id>', 'the outbox row id (from `hub stuck` or `hub trace`)')
  .option('--json', 'as JSON, for scripts')
  .action((id: string, opts: { json?: boolean }) =>
    withCore(async ({ outbox, audit }) => {
      const copy = await outbox.republish(id);
      await audit.record({ actorKey: null, actor: cliActor(), role: null, unitCode: null, action: 'cli outbox republish', target: id.slice(0, 64), outcome: copy ? `as ${copy}` : 'no such sent row', source: 'cli', requestId: null });
      if (opts.json) console.log(JSON.stringify({ id, republishedAs: copy }));
      else if (copy) console.log(`${id} queued again as ${copy}; a running hub sends it within OUTBOX_POLL_MS`);
      else console.error(`no delivered engine or Kafka message ${id} (a row not sent yet is replayed with \`hub outbox replay\`)`);
      if (!copy) process.exitCode = 1;
    }),
  );

/** The model store with an engine to deploy to, for the process owners' commands. */
const withModels = <T>(fn: (d: ModelDeps) => Promise<T>): Promise<T> =>
  withCore(async (core) => {
    const [{ createEngine }, { ModelStore }, { workers }, { modelChecks }] = await Promise.all([lazy.engine(), lazy.modelStore(), lazy.workers(), lazy.modelChecks()]);
    const engine = await createEngine(core.config, core.log);
    try {
      return await fn({ models: new ModelStore(core.ds), engine, checks: modelChecks, catalog: core.catalog, servedTypes: Object.keys(workers), repoDir: path.join(projectRoot, 'bpmn'), audit: core.audit });
    } finally {
      await engine.close();
    }
  });
const modelFailure = async (err: unknown): Promise<void> => {
  const { ModelNotFound, ModelRefused } = await lazy.models();
  process.exitCode = 1;
  if (err instanceof ModelRefused) console.error(`not deployed:\n${err.problems.map((p) => `  - ${p}`).join('\n')}`);
  else if (err instanceof ModelNotFound) console.error(err.message);
  else throw err;
};

/** The hub HUB_URL names, when set: the verb goes through its API with HUB_API_KEY instead of opening the database. */
const remote = async () => (await lazy.remote()).remoteHub();

/** A deploy's or rollback's outcome, the same whether the database or the API did it. */
function printDeployed(name: string, out: { deployed: { id: string; note?: string | null } | null; changes: string[] }, opts: { json?: boolean; dryRun?: boolean; rollback?: boolean }): void {
  if (opts.json) return console.log(JSON.stringify({ name, deployed: out.deployed, changes: out.changes }, null, 2));
  for (const c of out.changes) console.log(`  ${c}`);
  if (opts.rollback) console.log(out.deployed ? `${name}: version ${out.deployed.id} deployed (${out.deployed.note})` : `${name}: already that version`);
  else console.log(out.deployed ? `${name}: version ${out.deployed.id} deployed` : opts.dryRun ? `${name}: dry run, nothing deployed` : `${name}: the same as what runs, nothing deployed`);
}

/** A version as printed: its content (the model's XML) left out. */
const withoutContent = <V extends { content?: unknown }>({ content: _c, ...v }: V): Omit<V, 'content'> => v;

type VersionLine = { id: string; name: string; source: string; deployedAt: string | Date; deployedBy: string; note?: string | null };
function printVersions(name: string | undefined, view: VersionLine[], json?: boolean): void {
  if (json) return console.log(JSON.stringify(view, null, 2));
  if (view.length === 0) return console.log(name ? `no version of ${name} recorded (a hub start records the repository's models)` : 'no model recorded yet: start the hub once');
  for (const v of view) console.log(`${v.id.padStart(6)}  ${v.name.padEnd(26)} ${v.source.padEnd(8)} ${v.deployedAt instanceof Date ? v.deployedAt.toISOString() : v.deployedAt}  ${v.deployedBy}${v.note ? `  (${v.note})` : ''}`);
}

program
  .command('models')
  .description("the models the hub runs (each one's version now, where from, who, when); with a name, that model's versions. With HUB_URL and HUB_API_KEY, asked of that hub's API")
  .argument('[name]', 'a model, e.g. dispatch.dmn')
  .option('--json', 'as JSON, for scripts')
  .action(async (name: string | undefined, opts: { json?: boolean }) => {
    const hub = await remote();
    if (hub) {
      const { callHub } = await lazy.remote();
      const view = name ? (await callHub<{ history: VersionLine[] }>(hub, 'GET', `/models/${encodeURIComponent(name)}`)).history : (await callHub<{ models: VersionLine[] }>(hub, 'GET', '/models')).models;
      return printVersions(name, view, opts.json);
    }
    await withCore(async ({ ds }) => {
      const { ModelStore } = await lazy.modelStore();
      const store = new ModelStore(ds);
      const rows = name ? await store.history(name) : [...(await store.current()).values()];
      printVersions(name, rows.map(withoutContent), opts.json);
    });
  });

program
  .command('lint')
  .description("check models as a deploy would, offline (bpmnlint with the Camunda 8.5 rules, the catalog's units and categories, the job types this hub serves, whole decision tables, FEEL only): no database, engine or hub. Exits 1 when a model fails, naming the element")
  .argument('[files...]', 'model files (default: every model in bpmn/)')
  .option('--catalog <file>', 'the catalog units and categories are checked against (default: CATALOG_FILE)')
  .option('--json', 'as JSON, for scripts')
  .action(async (files: string[], opts: { catalog?: string; json?: boolean }) => {
    const { lintModels } = await import('./lint.js');
    try {
      const results = await lintModels(files, { catalogFile: opts.catalog ?? loadConfig().CATALOG_FILE });
      const failed = results.filter((r) => r.problems.length > 0);
      if (opts.json) console.log(JSON.stringify(results, null, 2));
      else {
        for (const r of results) for (const p of r.problems) console.log(`${r.file}: ${p}`);
        console.error(failed.length === 0 ? `${results.length} models pass` : `${failed.reduce((n, r) => n + r.problems.length, 0)} problems in ${failed.length} of ${results.length} models`);
      }
      if (failed.length > 0) process.exitCode = 1;
    } catch (err) {
      if (!(err instanceof UsageError)) throw err;
      console.error(`hub lint: ${err.message}`);
      process.exitCode = 2;
    }
  });

program
  .command('templates')
  .description("write Camunda 8 element templates for every job type this hub serves into .camunda/element-templates/ (Desktop Modeler finds them there), from the workers' declared inputs and outputs")
  .option('--json', 'as JSON, for scripts')
  .action(async (opts: { json?: boolean }) => {
    const [{ writeElementTemplates, TEMPLATES_DIR }, { workers }] = await Promise.all([import('./element-templates.js'), lazy.workers()]);
    const out = writeElementTemplates(workers);
    if (opts.json) return console.log(JSON.stringify({ dir: TEMPLATES_DIR, ...out }));
    console.log(`${path.relative(process.cwd(), TEMPLATES_DIR) || '.'}: ${out.written} templates written${out.removed.length ? `, removed ${out.removed.join(', ')}` : ''}`);
  });

program
  .command('deploy')
  .description('check a model (bpmnlint and the Camunda 8.5 rules, the catalog, the ids), show what changes against the version that runs, deploy it and record who and when. With HUB_URL and HUB_API_KEY (a process owner\'s key), through that hub\'s API: no database credentials needed')
  .argument('<file>', 'the model file, e.g. an edited bpmn/dispatch.dmn')
  .option('--as <name>', 'the model it is a version of (default: the file name)')
  .option('--note <text>', 'why, for the history')
  .option('--dry-run', 'check and show what would change; deploy nothing')
  .option('--json', 'as JSON, for scripts')
  .action(async (file: string, opts: { as?: string; note?: string; dryRun?: boolean; json?: boolean }) => {
    const name = opts.as ?? path.basename(file);
    const xml = readOrUsage(file);
    const hub = await remote();
    if (!opts.json) console.error(`checking ${name}${hub ? ` at ${hub.url}` : ''} …`);
    if (hub) {
      const { callHub } = await lazy.remote();
      const q = new URLSearchParams({ ...(opts.note ? { note: opts.note } : {}), ...(opts.dryRun ? { dryRun: 'true' } : {}) });
      const out = await step(opts.dryRun ? 'checking the model' : 'checking and deploying the model', () => callHub<{ deployed: { id: string } | null; changes: string[] }>(hub, 'POST', `/models/${encodeURIComponent(name)}${q.size ? `?${q}` : ''}`, { xml }));
      return printDeployed(name, out, opts);
    }
    await withModels(async (d) => {
      const { deployModel } = await lazy.models();
      try {
        const out = await step(opts.dryRun ? 'checking the model' : 'checking and deploying the model', () => deployModel(d, name, xml, { actor: cliActor(), source: 'cli' }, { dryRun: opts.dryRun, note: opts.note }));
        printDeployed(name, { deployed: out.version ? withoutContent(out.version) : null, changes: out.changes }, opts);
      } catch (err) {
        await modelFailure(err);
      }
    });
  });

program
  .command('rollback')
  .description('deploy an earlier version of a model again: the one --to names, else the last one that differs from what runs. With HUB_URL and HUB_API_KEY, through that hub\'s API')
  .argument('<name>', 'the model, e.g. dispatch.dmn')
  .option('--to <id>', 'the version (from `hub models <name>`)')
  .option('--json', 'as JSON, for scripts')
  .action(async (name: string, opts: { to?: string; json?: boolean }) => {
    const hub = await remote();
    if (hub) {
      const { callHub } = await lazy.remote();
      const out = await step('deploying the earlier version', () => callHub<{ deployed: { id: string; note: string | null } | null; changes: string[] }>(hub, 'POST', `/models/${encodeURIComponent(name)}/rollback`, opts.to ? { to: opts.to } : {}));
      return printDeployed(name, out, { ...opts, rollback: true });
    }
    await withModels(async (d) => {
      const { rollbackModel } = await lazy.models();
      try {
        const out = await step('deploying the earlier version', () => rollbackModel(d, name, { actor: cliActor(), source: 'cli' }, opts.to));
        printDeployed(name, { deployed: out.version ? withoutContent(out.version) : null, changes: out.changes }, { ...opts, rollback: true });
      } catch (err) {
        await modelFailure(err);
      }
    });
  });

/** A verb that acts on the engine: it is opened and closed around `fn`; a refusal (HubError) is printed and exits 1. */
const withEngine = (fn: (core: Core, engine: Engine) => Promise<void>): Promise<void> =>
  withCore(async (core) => {
    const { createEngine } = await lazy.engine();
    const engine = await createEngine(core.config, core.log);
    try {
      await fn(core, engine);
    } catch (err) {
      if (!(err instanceof HubError)) throw err;
      process.exitCode = 1;
      console.error(err.message);
    } finally {
      await engine.close();
    }
  });

program
  .command('trace')
  .description("one order's whole trail: its steps, each job (completed, failed, incidents), the events read and sent, dead letters, deliveries to legacy systems, people's tasks")
  .argument('<orderNo>', 'the order number (GD…)')
  .option('--json', 'as JSON, for scripts')
  .action((orderNo: string, opts: { json?: boolean }) =>
    withCore(async ({ ds, store }) => {
      if (!(await store.find(orderNo))) {
        process.exitCode = 1;
        return console.error(`order ${orderNo} does not exist`);
      }
      const { Operations } = await lazy.ops();
      const entries = await step('reading the order\'s trail', () => new Operations(ds).trace(orderNo));
      if (opts.json) return console.log(JSON.stringify(entries, null, 2));
      for (const e of entries) console.log(`${e.at}  ${e.source.padEnd(11)} ${e.what}`);
    }),
  );

program
  .command('stuck')
  .description('what hangs, with the reason: incidents, job types no worker serves, messages no instance takes, outbox backlog and parked rows, dead letters, timers that did not fire, orders with no progress')
  .option('--json', 'as JSON, for scripts')
  .action(async (opts: { json?: boolean }) => {
    type Item = { since: string; reason: string; orderNo?: string | null; message: string };
    const print = (items: Item[]) => {
      if (opts.json) return console.log(JSON.stringify(items, null, 2));
      if (items.length === 0) return console.log('nothing is stuck');
      for (const i of items) console.log(`${i.since}  ${i.reason.padEnd(15)} ${(i.orderNo ?? '-').padEnd(16)} ${i.message}`);
      console.log(`${items.length} stuck`);
    };
    const hub = await remote();
    if (hub) return print((await (await lazy.remote()).callHub<{ items: Item[] }>(hub, 'GET', '/stuck')).items);
    await withCore(async ({ ds, config }) => {
      const [{ Operations }, { stuckOptions }, { createKafka }] = await Promise.all([lazy.ops(), lazy.stuck(), lazy.kafka()]);
      print(await step('reading the hub\'s records and Kafka\'s consumer groups', () => new Operations(ds).stuck(stuckOptions(config, undefined, createKafka(config, 'hub-cli')))));
    });
  });

program
  .command('retry')
  .description("runs again the order's jobs that ended in an incident, once their cause is fixed (recorded with who did it)")
  .argument('<orderNo>', 'the order number (GD…)')
  .option('--json', 'as JSON, for scripts')
  .action(async (orderNo: string, opts: { json?: boolean }) => {
    type Outcome = { jobType: string; elementId: string; ok: boolean; error?: string };
    const print = (out: Outcome[]) => {
      if (opts.json) console.log(JSON.stringify(out, null, 2));
      else if (out.length === 0) console.log(`order ${orderNo} has no open incident`);
      else for (const o of out) console.log(`${o.jobType} (${o.elementId}): ${o.ok ? 'running again' : `not retried: ${o.error}`}`);
      if (out.some((o) => !o.ok)) process.exitCode = 1;
    };
    const hub = await remote();
    if (hub) {
      const { callHub, RemoteRefusal } = await lazy.remote();
      // A retry that failed answers 502 with the outcomes.
      const out = await callHub<{ retried: Outcome[] }>(hub, 'POST', `/orders/${encodeURIComponent(orderNo)}/retry`, {}).catch((err: unknown) => {
        if (err instanceof RemoteRefusal && err.status === 502) return { retried: [{ jobType: '?', elementId: '?', ok: false, error: err.message }] };
        throw err;
      });
      return print(out.retried);
    }
    await withEngine(async (core, engine) => {
      const [{ Operations }, { retryIncidents }] = await Promise.all([lazy.ops(), lazy.operations()]);
      print(await step('running the failed jobs again', () => retryIncidents({ ops: new Operations(core.ds), engine, trail: core.trail, audit: core.audit }, orderNo, { actor: cliActor(), source: 'cli' })));
    });
  });

program
  .command('cancel')
  .description('撤销: ends an order where it stands, with the reason: its process instance is cancelled, its open tasks leave the lists, the units working on it are told to stop (recorded with who did it)')
  .argument('<orderNo>', 'the order number (GD…)')
  .requiredOption('--reason <text>', 'why, for the order\'s history')
  .option('--json', 'as JSON, for scripts')
  .action(async (orderNo: string, opts: { reason: string; json?: boolean }) => {
    if (opts.reason.trim().length < 2) throw new InvalidArgumentError('say why the order is cancelled (--reason)');
    type Outcome = { instance: string; tasks: number; dropped: string[]; unitsTold: string[] };
    const print = (out: Outcome) => {
      if (opts.json) return console.log(JSON.stringify(out));
      console.log(`order ${orderNo} cancelled; its process instance: ${out.instance}; ${out.tasks} open task(s) closed${out.dropped.length ? `; engine messages dropped: ${out.dropped.join(', ')}` : ''}${out.unitsTold.length ? `; units told to stop: ${out.unitsTold.join(', ')}` : ''}`);
    };
    const hub = await remote();
    if (hub) return print(await (await lazy.remote()).callHub<Outcome>(hub, 'POST', `/orders/${encodeURIComponent(orderNo)}/cancel`, { reason: opts.reason.trim() }));
    await withEngine(async (core, engine) => {
      const [{ Operations }, { cancelOrder }] = await Promise.all([lazy.ops(), lazy.operations()]);
      print(await cancelOrder({ store: core.store, ops: new Operations(core.ds), engine, trail: core.trail, audit: core.audit, catalog: core.catalog, now: () => new Date() }, orderNo, opts.reason.trim(), { actor: cliActor(), source: 'cli' }));
    });
  });

program
  .command('migrate')
  .description('moves the running instances of a process to the version that runs now (after a deploy), element to element of the same id, where the engine allows it; each outcome (recorded with who did it)')
  .argument('<processId>', 'the process, e.g. work-order')
  .option('--order <orderNo...>', "only these orders' instances")
  .option('--json', 'as JSON, for scripts')
  .action((processId: string, opts: { json?: boolean; order?: string[] }) =>
    withEngine(async (core, engine) => {
      const [{ ModelStore }, { migrateInstances }] = await Promise.all([lazy.modelStore(), lazy.operations()]);
      const out = await step(`migrating the running instances of ${processId}`, () => migrateInstances({ store: core.store, models: new ModelStore(core.ds), engine, trail: core.trail, audit: core.audit }, processId, { actor: cliActor(), source: 'cli' }, opts.order));
      if (opts.json) console.log(JSON.stringify(out, null, 2));
      else if (out.length === 0) console.log(`no running instance of ${processId} is on an older version`);
      else for (const o of out) console.log(`${o.instance}${o.orderNo ? ` (order ${o.orderNo})` : ''}: ${o.ok ? 'migrated' : `not migrated: ${o.error}`}`);
      if (out.some((o) => !o.ok)) process.exitCode = 1;
    }),
  );

program
  .command('adapters')
  .description('the systems the hub connects: each adapter\'s units, the events it reads and writes, and its settings (ADAPTER_<NAME>_<KEY>)')
  .option('--json', 'as JSON, for scripts')
  .action(async (opts: { json?: boolean }) => {
    const [{ adapterNames, loadAdapter, unitSystem }, { envPrefix, kitSettings }] = await Promise.all([lazy.adapters(), lazy.kit()]);
    const adapters = await Promise.all(adapterNames().map(loadAdapter));
    const settingsOf = (a: (typeof adapters)[number]) => {
      const shape = a.settings as unknown as { in?: { shape?: Record<string, unknown> }; shape?: Record<string, unknown> };
      return [...Object.keys(shape.in?.shape ?? shape.shape ?? {}), ...Object.keys(kitSettings.shape)].map((k) => `${envPrefix(a.manifest.name)}${k}`);
    };
    if (opts.json) {
      const one = (m: { name: string; description: string; reads: object; writes: object }, settings: string[] | null) => ({ name: m.name, description: m.description, reads: Object.keys(m.reads), writes: Object.keys(m.writes), settings });
      return console.log(JSON.stringify([one(unitSystem, null), ...adapters.map((a) => one(a.manifest, settingsOf(a)))], null, 2));
    }
    console.log(`${unitSystem.name} (no adapter: speaks the canonical events itself)\n  ${unitSystem.description}\n  reads ${Object.keys(unitSystem.reads).join(', ')}; writes ${Object.keys(unitSystem.writes).join(', ')}`);
    for (const a of adapters) {
      console.log(`\n${a.manifest.name}\n  ${a.manifest.description}\n  reads ${Object.keys(a.manifest.reads).join(', ')}; writes ${Object.keys(a.manifest.writes).join(', ')}`);
      console.log(`  settings: ${settingsOf(a).join(' ')}`);
    }
  });

const deadCmd = program.command('dead-letters').alias('dlq').description('messages the hub or an adapter refused: list them, replay them once the cause is fixed');
deadCmd
  .command('list', { isDefault: true })
  .description('newest first: where from, which order, who refused it and why (the content stays in the database)')
  .option('--limit <n>', 'how many', (v) => Number(v), 50)
  .option('--json', 'as JSON, for scripts (without the content: it carries personal data)')
  .action((opts: { limit: number; json?: boolean }) =>
    withCore(async ({ deadLetters }) => {
      const rows = await deadLetters.list(opts.limit);
      if (opts.json) return console.log(JSON.stringify(rows, null, 2));
      if (rows.length === 0) return console.log('no dead letters');
      for (const r of rows) {
        const state = r.replayedAt ? `replayed ${r.replayedAt.toISOString()}` : '';
        console.log(`${r.id}  ${r.createdAt.toISOString()}  order ${r.orderNo ?? '-'}  ${r.sourceTopic}/${r.sourcePartition}/${r.sourceOffset}  by ${r.consumer ?? 'hub'}  ${state}\n    ${r.reason}`);
      }
    }),
  );
deadCmd
  .command('replay')
  .description('sends dead-lettered Kafka messages back to their topic, as they were: every consumer of it sees them again, and each applies a message once (by its event id)')
  .argument('[ids...]', 'dead letters to replay (hub dead-letters list)')
  .option('--all', 'every dead letter not replayed yet')
  .option('--value-file <file>', 'send this mended copy (JSON; - for standard input) instead of the refused message: one id only (see `hub dead-letters show <id>`)')
  .option('--json', 'as JSON, for scripts')
  .action((ids: string[], opts: { all?: boolean; valueFile?: string; json?: boolean }) =>
    withCore(async ({ deadLetters, audit, config }) => {
      if (!opts.all && ids.length === 0) throw new InvalidArgumentError('name the dead letters to replay, or say --all');
      const corrected = opts.valueFile === undefined ? undefined : fs.readFileSync(opts.valueFile === '-' ? 0 : opts.valueFile, 'utf8');
      const [{ createKafka }, { replayDeadLetters, DeadLetterRefused }] = await Promise.all([lazy.kafka(), lazy.operations()]);
      const producer = createKafka(config, 'hub-cli').producer({ idempotent: true, maxInFlightRequests: 1 });
      let connected = false;
      let rows: Array<{ id: string; topic: string }>;
      try {
        rows = await step('sending the dead letters back to their topics', () => replayDeadLetters({ deadLetters, producer: async () => (connected ||= (await producer.connect(), true), producer) }, opts.all ? undefined : ids, corrected, cliActor()));
      } catch (err) {
        if (!(err instanceof DeadLetterRefused)) throw err;
        process.exitCode = 1;
        return console.error(err.message);
      } finally {
        if (connected) await producer.disconnect();
      }
      if (opts.json) return console.log(JSON.stringify(rows));
      if (rows.length === 0) return console.log('nothing to replay (a message that came from a legacy system, not Kafka, is sent again by that system)');
      for (const r of rows) console.log(`${r.id} replayed to ${r.topic}`);
      await audit.record({ actorKey: null, actor: cliActor(), role: null, unitCode: null, action: 'cli dead-letters replay', target: opts.all ? 'all' : ids.join(',').slice(0, 64), outcome: `${rows.length} messages${corrected !== undefined ? ', corrected' : ''}`, source: 'cli', requestId: null });
    }),
  );

deadCmd
  .command('show')
  .description('one dead letter as it was refused, with its content (personal data: the reading is audited), to mend it for `replay --value-file`')
  .argument('<id>', 'the dead letter')
  .option('--json', 'as JSON, for scripts (the content included)')
  .action((id: string, opts: { json?: boolean }) =>
    withCore(async ({ deadLetters, audit }) => {
      const m = /^\d{1,18}$/.test(id) ? await deadLetters.message(id) : null;
      await audit.record({ actorKey: null, actor: cliActor(), role: null, unitCode: null, action: 'cli dead-letters show', target: `dl:${id}`.slice(0, 64), outcome: m ? 'shown' : 'not found', source: 'cli', requestId: null });
      if (!m) {
        process.exitCode = 1;
        return console.error(`no dead letter ${id}`);
      }
      if (opts.json) return console.log(JSON.stringify(m, null, 2));
      console.error(`# dead letter ${m.id} from ${m.sourceTopic}, key ${m.key ?? '-'}${m.replayedAt ? `, replayed ${m.replayedAt.toISOString()}` : ''}\n# refused: ${m.reason}`);
      console.log(m.value ?? '');
    }),
  );

/** Who runs a CLI verb, for the audit trail. */
const cliActor = (): string => `cli:${os.userInfo().username}@${os.hostname()}`.slice(0, 100);

const keysCmd = program.command('keys').description('API keys: who may call the gateway, in which role');
keysCmd
  .command('create')
  .description('make a key and print it once (only its hash is kept)')
  .requiredOption('--role <role>', `one of ${ROLES.join(', ')}`)
  .requiredOption('--name <name>', 'whom the key is for (a person, a unit desk, a system)')
  .option('--unit <code>', 'the unit a unit key is bound to (a catalog code)')
  .option('--adapter <name>', 'the adapter an integration key is bound to')
  .option('--expires <duration>', 'how long it is valid: 90d, 12h, 30m, or never', '90d')
  .option('--token-only', 'print only the key, for scripts')
  .option('--json', 'as JSON, for scripts (the token included: it is shown this once)')
  .action((opts: { role: string; name: string; unit?: string; adapter?: string; expires: string; tokenOnly?: boolean; json?: boolean }) =>
    withCore(async ({ keys, audit, catalog }) => {
      if (opts.unit && !findUnit(catalog, opts.unit)) throw new InvalidArgumentError(`unit "${opts.unit}" is not in the catalog`);
      const { parseExpiry } = await lazy.keys();
      const { key, token } = await keys.create({ name: opts.name, role: opts.role as Role, unit: opts.unit, adapter: opts.adapter, expiresAt: parseExpiry(opts.expires), createdBy: cliActor() });
      await audit.record({ actorKey: null, actor: cliActor(), role: null, unitCode: null, action: 'cli keys create', target: key.id, outcome: 'ok', source: 'cli', requestId: null });
      if (opts.tokenOnly) return console.log(token);
      if (opts.json) return console.log(JSON.stringify({ id: key.id, name: key.name, role: key.role, unit: key.unit, adapter: key.adapter, expiresAt: key.expiresAt, token }, null, 2));
      console.log(`key ${key.id} (${key.role}${key.unit ? ` of ${key.unit}` : ''}${key.adapter ? ` for ${key.adapter}` : ''}, ${key.name}) expires ${key.expiresAt?.toISOString() ?? 'never'}`);
      console.log(`\n  ${token}\n\nIt is shown this once; send it as "Authorization: Bearer <key>".`);
    }),
  );
keysCmd
  .command('list')
  .description('every key: id, role, binding, expiry, revoked (never the secret)')
  .option('--json', 'as JSON, for scripts')
  .action((opts: { json?: boolean }) =>
    withCore(async ({ keys }) => {
      const now = Date.now();
      const list = await keys.list();
      if (opts.json) return console.log(JSON.stringify(list.map((k) => ({ id: k.id, name: k.name, role: k.role, unit: k.unit, adapter: k.adapter, expiresAt: k.expiresAt, revokedAt: k.revokedAt })), null, 2));
      for (const k of list) {
        const state = k.revokedAt ? `revoked ${k.revokedAt.toISOString()}` : k.expiresAt && k.expiresAt.getTime() <= now ? `expired ${k.expiresAt.toISOString()}` : (k.expiresAt ? `valid until ${k.expiresAt.toISOString()}` : 'valid, never expires');
        console.log(`${k.id}  ${k.role.padEnd(14)} ${(k.unit ?? k.adapter ?? '').padEnd(16)} ${state.padEnd(40)} ${k.name}`);
      }
    }),
  );
keysCmd
  .command('revoke')
  .description('end a key at once (every hub process stops taking it within 5 s)')
  .argument('<id>', 'the key id (from `hub keys list`)')
  .option('--json', 'as JSON, for scripts')
  .action((id: string, opts: { json?: boolean }) =>
    withCore(async ({ keys, audit }) => {
      const done = await keys.revoke(id);
      await audit.record({ actorKey: null, actor: cliActor(), role: null, unitCode: null, action: 'cli keys revoke', target: id.slice(0, 64), outcome: done ? 'ok' : 'not-found', source: 'cli', requestId: null });
      if (opts.json) {
        if (!done) process.exitCode = 1;
        return console.log(JSON.stringify({ id, revoked: done }));
      }
      if (!done) {
        process.exitCode = 1;
        return console.error(`no live key ${id}`);
      }
      console.log(`key ${id} revoked`);
    }),
  );

program
  .command('config')
  .description('print the configuration table (markdown) generated from infra/config.ts')
  .option('--doc', 'write it into docs/configuration.md between the config-table markers')
  .action((opts: { doc?: boolean }) => {
    if (!opts.doc) return console.log(configTableMarkdown());
    const file = path.join(projectRoot, 'docs', 'configuration.md');
    const readme = fs.readFileSync(file, 'utf8');
    const re = /(<!-- config-table:start -->\n)[\s\S]*?(<!-- config-table:end -->)/;
    if (!re.test(readme)) throw new Error('docs/configuration.md has no <!-- config-table:start --> ... <!-- config-table:end --> markers');
    fs.writeFileSync(file, readme.replace(re, `$1${configTableMarkdown()}\n$2`));
    console.log('docs/configuration.md: configuration table updated');
  });

/** A database the command cannot reach, said as an operator needs it (the driver's error names neither the setting nor the way out). */
function databaseTrouble(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  const database = (() => {
    try {
      return new URL(loadConfig().DATABASE_URL).pathname.slice(1);
    } catch {
      return 'DATABASE_URL';
    }
  })();
  if (code === 'ER_BAD_DB_ERROR') return `the database ${database} does not exist: \`npm start\` (or \`npm run stack -- up\`) creates it, or set DATABASE_URL to the hub's`;
  if (code === 'ECONNREFUSED' || code === 'ETIMEDOUT') return `no MySQL answers at DATABASE_URL (${code}): start it, or set DATABASE_URL`;
  if (code === 'ER_ACCESS_DENIED_ERROR') return 'MySQL refused the user in DATABASE_URL: check its name and password';
  return undefined;
}

program.parseAsync(process.argv).catch((err: unknown) => {
  if (err instanceof InvalidArgumentError) {
    // Thrown by a verb about its arguments: commander has not printed it.
    console.error(`hub: ${err.message} (hub --help)`);
    process.exitCode = 2;
    return;
  }
  if (err instanceof CommanderError) {
    // Commander printed it (or the help, or the version) already.
    process.exitCode = ['commander.helpDisplayed', 'commander.version'].includes(err.code) ? 0 : 2;
    return;
  }
  const db = databaseTrouble(err);
  if (err instanceof UsageError) {
    console.error(`hub: ${err.message}`);
    process.exitCode = 2;
    return;
  }
  if (err instanceof RemoteRefusal) {
    const problems = err.details?.problems;
    console.error(problems?.length ? `not deployed:\n${problems.map((p) => `  - ${p}`).join('\n')}` : err.message);
    process.exitCode = 1;
    return;
  }
  if (err instanceof ConfigError || err instanceof StackError) {
    console.error(`${err.name}${'code' in err ? ` [${err.code}]` : ''}: ${err.message}`);
  } else if (db) {
    console.error(db);
  } else {
    console.error(err);
  }
  process.exitCode = 1;
});
