/**
 * The composition root: wires configuration, clients and roles together. Every other module
 * receives what it needs as arguments; nothing connects at import time. `openCore` builds the
 * wired parts without starting a role (hub/core.ts: the CLI needs that, and loads nothing more);
 * `startHub` starts the roles this process runs (HUB_ROLES).
 */
import path from 'node:path';
import { randomInt } from 'node:crypto';
import type { Server } from 'node:http';
import { Partitioners, type Kafka, type Producer } from 'kafkajs';
import nodemailer from 'nodemailer';
import { hubTopics, loadAdapter, unitSystem } from '../adapters/registry.js';
import { startAdapter, type RunningAdapter } from '../adapters/kit/runtime.js';
import { AdapterDeliveries } from '../infra/db/adapter-deliveries.js';
import { startInbound } from './inbound.js';
import { loadOpen311 } from '../infra/open311.js';
import { loadAssessmentMethod } from '../domain/assessment.js';
import { loadMajorIncidents } from '../domain/instructions.js';
import { judgeReply, loadReplyQuality } from '../domain/reply-quality.js';
import { drawSpotCheck, loadSpotChecks, type SpotCheckSubject } from '../domain/spot-checks.js';
import { loadRepeats, NO_REPEATS } from '../domain/repeats.js';
import { termsOf } from '../infra/text/terms.js';
import { TOPICS } from '../domain/events.js';
import { createGateway, type Readiness } from '../gateway/app.js';
import { projectRoot, type Config } from '../infra/config.js';
import { publicUrl } from '../domain/notices.js';
import { calendarGaps } from '../domain/calendar.js';
import { seedDemoKeys } from '../infra/auth/keys.js';
import { loadCalendar } from '../infra/calendar.js';
import { startTaskChaser } from '../usecases/chase-tasks.js';
import { startDigest } from '../usecases/digest.js';
import { Retention, retentionPolicy, startRetention } from '../infra/db/retention.js';
import type { SqlOrderStore } from '../infra/db/orders.js';
import { StatisticsStore } from '../infra/db/statistics.js';
import { AttachmentStore } from '../infra/db/attachments.js';
import { createEngine, type Engine } from '../infra/engine/engine.js';
import { modelResources } from '../infra/engine/deploy.js';
import { modelChecks } from '../infra/engine/model-checks.js';
import { ModelStore, sha256 } from '../infra/db/models.js';
import type { ModelDeps } from '../usecases/models.js';
import type { WorkerDefinition } from '../infra/engine/job-contract.js';
import { Operations } from '../infra/db/operations.js';
import { cancelOrder, replayDeadLetters, retryIncidents } from '../usecases/operations.js';
import { mergeOrder, splitOrder } from '../usecases/merge-orders.js';
import { INBOUND_GROUP, stuckOptions } from './operations.js';
import { serveMetrics } from './metrics-server.js';
import { registerStateMetrics } from './state-metrics.js';
import { createKafka, ensureTopics, renewingProducer } from '../infra/kafka.js';
import { metrics } from '../infra/metrics.js';
import { createLogger, type Logger } from '../infra/log.js';
import { startRelay, type ChannelSender, type Relay } from '../infra/outbox/relay.js';
import { emailSender, kafkaSender } from '../infra/outbox/senders.js';
import { smsSender } from '../adapters/sms-gateway/sender.js';
import { OutboxStore } from '../infra/outbox/store.js';
import { readiness } from './readiness.js';
import { startTracing } from '../infra/tracing.js';
import { workers } from '../workers/index.js';

import { openCore, type Core } from './core.js';

export { openCore, type Core };

/**
 * Deploys the models: the repository's bpmn/, or the newer version a process owner deployed of a
 * model whose repository file has not changed since (infra/db/models.ts). A model taken from the
 * repository that differs from what was recorded is recorded as such.
 */
async function deployAtStart(core: Core, engine: Engine, log: Logger): Promise<ModelDeps> {
  const repoDir = path.join(projectRoot, 'bpmn');
  const models = new ModelStore(core.ds);
  const { resources, fromRepo } = await models.forStart(modelResources(repoDir));
  const deployed = await engine.deploy(resources);
  for (const r of fromRepo) {
    await models.record({ name: r.name, content: r.content, source: 'repo', repoSha256: sha256(r.content), engine: engine.name, versions: deployed, deployedBy: 'hub start' });
  }
  if (fromRepo.length > 0) log.info({ models: fromRepo.map((r) => r.name) }, 'models from the repository recorded');
  // The dispatch table the engine took as a new version of the same content (its copy marked for
  // the first time, or the engine's data lost): recorded, so that the mark finds that version.
  const table = (await models.current()).get('dispatch.dmn');
  if (table && !fromRepo.some((r) => r.name === 'dispatch.dmn') && deployed.decisions.dispatch !== undefined && table.versions?.decisions.dispatch !== deployed.decisions.dispatch) {
    await models.record({ name: table.name, content: table.content, source: table.source, repoSha256: table.repoSha256, engine: engine.name, versions: deployed, deployedBy: 'hub start', note: `the engine took it as version ${deployed.decisions.dispatch}` });
  }
  return { models, engine, checks: modelChecks, catalog: core.catalog, servedTypes: Object.keys(workers), repoDir, audit: core.audit, decisions: { ...deployed.decisions } };
}

export interface RunningHub {
  log: Logger;
  store: SqlOrderStore;
  outbox: OutboxStore;
  /** The gateway's base URL when this process runs the gateway role. */
  url?: string;
  /** Keys made for the demo by this start (a database that had none and DEMO_KEYS=true): print them once. */
  demoKeys: Array<{ role: string; name: string; unit: string | null; token: string }>;
  ready: Readiness;
  /** Stops intake, lets jobs and outbox claims in flight finish, then closes every client. */
  close(): Promise<void>;
  /** While close() runs: what it is stopping now (a role, the engine client, the database). */
  stopping(): string | undefined;
}

const ROLES = ['gateway', 'workers', 'adapters'] as const;

/** How long a stopping gateway lets requests in flight finish before it closes their connections. */
const GATEWAY_DRAIN_MS = 10_000;

/** Kafka answers: an admin client connects and describes the cluster. */
async function kafkaAnswers(k: Kafka): Promise<void> {
  const admin = k.admin();
  try {
    await admin.connect();
    await admin.describeCluster();
  } finally {
    await admin.disconnect();
  }
}

/** What a test may put in place of the real thing: the clock the workers count deadlines from. */
export interface HubOptions {
  now?: () => Date;
  /** The job workers (workers/index.ts): a test puts a worker that fails on purpose in place of one. */
  workers?: Record<string, WorkerDefinition>;
  /** Each outbox channel's sender, as the hub made it: a test puts a fault between the relay and a channel. */
  senders?: (sender: ChannelSender) => ChannelSender;
}

export async function startHub(config: Config, log: Logger = createLogger(config.LOG_LEVEL), opts: HubOptions = {}): Promise<RunningHub> {
  const now = opts.now ?? (() => new Date());
  const calendar = loadCalendar(path.resolve(projectRoot, config.CALENDAR_FILE));
  const gaps = calendarGaps(calendar, now());
  if (gaps.length > 0) {
    log.warn(
      { alert: 'calendar-gap', years: gaps, known: `${calendar.years[0]}–${calendar.years.at(-1)}`, file: config.CALENDAR_FILE },
      `the working-day calendar does not know ${gaps.join(', ')}: deadlines reaching into it count weekends only and their orders are flagged (dueAtEstimated). Add the State Council's schedule to CALENDAR_FILE`,
    );
  }
  const roles = new Set(config.HUB_ROLES.split(','));
  const tracing = await startTracing(config);
  let relay: Relay | undefined;
  const core = await openCore(config, log, (channels) => relay?.wake(channels), now);
  const { store, outbox, catalog } = core;
  // 重复件: the same policy for calls at the gateway and for transfers from the emergency lines.
  const repeats = config.REPEATS_FILE === 'off' ? NO_REPEATS : loadRepeats(path.resolve(projectRoot, config.REPEATS_FILE), catalog.categories);
  const engine = await createEngine(config, log.child({ engine: config.HUB_ENGINE }));
  const modelDeps = await deployAtStart(core, engine, log);
  const decisions = modelDeps.decisions!;

  // Closed in ROLES order, whatever the order of start: intake first, then the workers (jobs in
  // flight finish), then the relay (its batch in flight is delivered and marked) and its clients.
  const closers: Array<{ role: string; close: () => Promise<void> }> = [];
  let kafka: Kafka | undefined;
  /** The relay's first producer. */
  let producer: Producer | undefined;
  /** Producers the relay made after its first lost its sequence numbers (infra/outbox/senders.ts); closed with it. */
  const renewed: Producer[] = [];

  if (roles.has('adapters')) {
    kafka = createKafka(config, 'hotline-hub');
    // Two topics per unit and adapter (named so that an ACL on the unit's prefix fits them), the dead-letter topic.
    await ensureTopics(kafka, [...new Set([...Object.values(TOPICS), ...hubTopics(catalog)])]);
    const client = kafka;
    const newProducer = async (): Promise<Producer> => {
      const p = client.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner });
      await p.connect();
      return p;
    };
    producer = await newProducer();
    // Adapters and dead letters share one, made again with a new id when a failover cost it its
    // sequence numbers; the relay has its own, which it renews itself (after a timeout too).
    const shared = renewingProducer(await newProducer(), newProducer, log.child({ role: 'adapters' }));
    const mailer = config.SMTP_URL
      ? nodemailer.createTransport(config.SMTP_URL, {
          pool: true,
          maxConnections: config.MAIL_CONCURRENCY,
          connectionTimeout: config.SMTP_TIMEOUT_MS,
          greetingTimeout: config.SMTP_TIMEOUT_MS,
          socketTimeout: config.SMTP_TIMEOUT_MS,
        } as nodemailer.TransportOptions)
      : undefined;
    const made: ChannelSender[] = [
      kafkaSender(producer, {
        batchSize: config.OUTBOX_BATCH_SIZE,
        timeoutMs: config.ENGINE_TIMEOUT_MS,
        newProducer: async () => {
          const p = await newProducer();
          renewed.push(p);
          return p;
        },
      }),
      engine.messageSender({ batchSize: config.OUTBOX_BATCH_SIZE, timeoutMs: config.ENGINE_TIMEOUT_MS }),
    ];
    const senders = opts.senders ? made.map(opts.senders) : made;
    if (config.SMS_URL) senders.push(smsSender({ url: config.SMS_URL, key: config.SMS_KEY, batchSize: config.OUTBOX_BATCH_SIZE, concurrency: config.MAIL_CONCURRENCY, timeoutMs: config.SMTP_TIMEOUT_MS }));
    if (mailer) senders.push(emailSender(mailer, { from: config.MAIL_FROM, batchSize: config.OUTBOX_BATCH_SIZE, concurrency: config.MAIL_CONCURRENCY, timeoutMs: 3 * config.SMTP_TIMEOUT_MS }));
    else log.warn('SMTP_URL is empty: e-mail to units waits in the outbox until it is set; Kafka and Zeebe delivery go on');
    relay = startRelay({
      store: outbox,
      senders,
      policy: { initialMs: config.OUTBOX_RETRY_INITIAL_MS, factor: 2, maxMs: config.OUTBOX_RETRY_MAX_MS, jitter: 0.3, maxAttempts: config.OUTBOX_MAX_ATTEMPTS },
      leaseMs: config.OUTBOX_LEASE_MS,
      pollMs: config.OUTBOX_POLL_MS,
      log: log.child({ role: 'outbox-relay' }),
    });
    const running: RunningAdapter[] = [];
    // The hub's own reading of the units' topics (whoever writes them), then the adapters this process runs.
    running.push({ name: 'hub-inbound', ...(await startInbound({ kafka, producer: shared, catalog, store, deadLetters: core.deadLetters, now, log: log.child({ role: 'inbound' }), groupId: INBOUND_GROUP, sessionTimeoutMs: config.KAFKA_SESSION_TIMEOUT_MS, decide: engine.evaluateDecision, sms: !!config.SMS_URL, trail: core.trail, repeats, attachments: new AttachmentStore(core.ds, now) })) });
    const wanted = await Promise.all((config.ADAPTERS ? config.ADAPTERS.split(',') : []).map(loadAdapter));
    const deliveries = new AdapterDeliveries(core.ds);
    for (const a of wanted) running.push(await startAdapter(a, { kafka, producer: shared, deliveries, deadLetters: core.deadLetters, env: config.adapterEnv, log: log.child({ role: 'adapter' }) }));
    const r = relay;
    const p = producer;
    closers.push({
      role: 'adapters',
      close: async () => {
        // Side by side: each consumer finishes the message in hand and leaves its group.
        await Promise.all(running.map((a) => a.close()));
        await r.close();
        await Promise.all(renewed.map((x) => x.disconnect().catch(() => undefined)));
        await p.disconnect();
        await shared.disconnect();
        mailer?.close();
      },
    });
    log.info({ adapters: running.map((a) => a.name), channels: senders.map((s) => s.channel) }, 'adapters started: outbox relay, the hub\'s reading of unit topics, and adapters');
  }

  if (roles.has('workers')) {
    const qualityPolicy = config.REPLY_QUALITY_FILE !== 'off' ? loadReplyQuality(path.resolve(projectRoot, config.REPLY_QUALITY_FILE)) : null;
    const replyQuality = qualityPolicy ? (request: string, answer: string) => judgeReply(request, answer, qualityPolicy, termsOf) : undefined;
    const spotPolicy = config.SPOT_CHECK_FILE !== 'off' ? loadSpotChecks(path.resolve(projectRoot, config.SPOT_CHECK_FILE), catalog.categories) : null;
    const spotCheck = spotPolicy ? (o: SpotCheckSubject) => drawSpotCheck(spotPolicy, o, randomInt(1_000_000) / 1_000_000) : undefined;
    const running = engine.startWorkers(opts.workers ?? workers, { store, catalog, calendar, config, log, now, decisions, knowledge: core.knowledge, trail: core.trail, rota: core.rota, catalogues: new ModelStore(core.ds), replyQuality, spotCheck });
    // People's tasks left open past their deadline are chased like units.
    const chaser = startTaskChaser({ store, catalog, now, log: log.child({ role: 'task-chaser' }), rota: core.rota }, config.TASK_SWEEP_MS);
    // What the RETENTION_* settings no longer keep (personal data in sent messages, old trail) goes.
    const retention = startRetention(new Retention(core.ds), retentionPolicy(config), now, config.RETENTION_SWEEP_MS, log.child({ role: 'retention' }));
    const digest = config.DIGEST_HOUR === 'off' ? { close: async () => undefined } : startDigest({ digests: core.digests, catalog, now, log: log.child({ role: 'digest' }), rota: core.rota, hour: config.DIGEST_HOUR, emails: config.DIGEST_EMAILS.split(',').map((e) => e.trim()).filter(Boolean) }, config.DIGEST_SWEEP_MS);
    closers.push({ role: 'workers', close: async () => Promise.all([running.close(), chaser.close(), retention.close(), digest.close()]).then(() => undefined) });
    log.info({ taskTypes: Object.keys(opts.workers ?? workers) }, 'job workers started');
  }

  const k = kafka;
  const ready: Readiness = readiness({
    timeoutMs: config.ENGINE_TIMEOUT_MS,
    checks: {
      database: () => core.store.ping(),
      [engine.name]: () => engine.check(),
      ...(k ? { kafka: () => kafkaAnswers(k) } : {}),
    },
    // Not a failure (the hub works), but an operator must act before deadlines are guessed.
    warnings: () => {
      const gapsNow = calendarGaps(calendar, now());
      return { calendar: gapsNow.length ? `warning: no working-day data for ${gapsNow.join(', ')}; add it to ${config.CALENDAR_FILE}` : 'up' };
    },
  });

  // Each dependency /readyz checks, as Prometheus sees it (the engine unreachable is an alert).
  const dependencies = {};
  metrics.gauge(dependencies, 'hub_dependency_up', 'Whether each dependency answers, as /readyz checks it (1 up, 0 down): database, the engine (zeebe or camunda7), kafka', ['dependency'], async () =>
    Object.entries(await ready())
      .filter(([name]) => name !== 'calendar')
      .map(([name, v]) => ({ labels: { dependency: name }, value: v === 'up' ? 1 : 0 })),
  );
  closers.push({ role: 'workers', close: async () => metrics.unregister(dependencies) });

  let url: string | undefined;
  let opsKafka: Kafka | undefined;
  // A gateway without the adapters role has no producer of its own: an operator's replay makes one.
  let replayProducer: Producer | undefined;
  const opsProducer = async (): Promise<Producer> => {
    if (producer) return producer;
    if (!replayProducer) {
      const p = (opsKafka ??= createKafka(config, 'hotline-hub-ops')).producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner });
      await p.connect();
      replayProducer = p;
      closers.push({ role: 'gateway', close: () => p.disconnect() });
    }
    return replayProducer;
  };
  let demoKeys: RunningHub['demoKeys'] = [];
  if (roles.has('gateway')) {
    if (config.DEMO_KEYS) demoKeys = await seedDemoKeys(core.ds, core.keys, { unit: 'water-group', adapter: unitSystem.name, days: 30 });
    // One for the gateway's calls: it keeps the models' timers between trace reads.
    const ops = new Operations(core.ds);
    const app = createGateway({
      store,
      statistics: new StatisticsStore(core.ds),
      catalog,
      keys: core.keys,
      audit: core.audit,
      knowledge: core.knowledge,
      ready,
      log: log.child({ role: 'gateway' }),
      now,
      repeats,
      attachments: new AttachmentStore(core.ds, now),
      attachmentPolicy: { maxBytes: config.ATTACHMENT_MAX_BYTES, types: config.ATTACHMENT_TYPES.split(','), maxPerOrder: config.ATTACHMENTS_PER_ORDER },
      open311: loadOpen311(path.resolve(projectRoot, config.OPEN311_FILE), catalog),
      assessment: loadAssessmentMethod(path.resolve(projectRoot, config.ASSESSMENT_FILE)),
      circulars: core.circulars,
      rota: core.rota,
      digests: core.digests,
      major: loadMajorIncidents(path.resolve(projectRoot, config.MAJOR_INCIDENTS_FILE), catalog.categories),
      sms: !!config.SMS_URL,
      codes: core.codes,
      confirmUrl: (token) => `${publicUrl(config)}/public/v1/contact/confirm?token=${token}`,
      models: modelDeps,
      operations: {
        ops,
        stuckOptions: () => stuckOptions(config, undefined, (opsKafka ??= kafka ?? createKafka(config, 'hotline-hub-ops'))),
        retry: (orderNo, by) => retryIncidents({ ops, engine, trail: core.trail, audit: core.audit }, orderNo, by),
        replayDeadLetter: async (id, corrected, by) => (await replayDeadLetters({ deadLetters: core.deadLetters, producer: opsProducer }, [id], corrected, by))[0]?.topic ?? null,
        replayOutbox: async (id) => (await core.outbox.replay([id])) > 0,
        republish: (id) => core.outbox.republish(id),
        cancel: (orderNo, reason, by) => cancelOrder({ store, ops, engine, trail: core.trail, audit: core.audit, catalog, now }, orderNo, reason, by),
        merge: (orderNo, into, reason, by) => mergeOrder({ store, ops, engine, trail: core.trail, catalog, now, repeats, rota: core.rota }, orderNo, into, reason, by),
        split: (orderNo, reason, by) => splitOrder({ store, now }, orderNo, reason, by),
      },
      settings: { rateLimitPerMinute: config.RATE_LIMIT_PER_MINUTE, authFailuresPerMinute: config.AUTH_FAILURES_PER_MINUTE, corsOrigins: config.CORS_ORIGINS, trustProxy: config.TRUST_PROXY, timeZone: config.CENTRE_TIME_ZONE },
    });
    const server = await new Promise<Server>((resolve, reject) => {
      const s = app.listen(config.PORT, config.HOST, () => resolve(s));
      s.once('error', (err) => reject(new Error(`gateway cannot listen on HOST=${config.HOST} PORT=${config.PORT}: ${err.message}`)));
    });
    const host = config.HOST === '0.0.0.0' || config.HOST === '::' ? '127.0.0.1' : config.HOST.includes(':') ? `[${config.HOST}]` : config.HOST;
    url = `http://${host}:${config.PORT}`;
    // Stopping: no new connections, and every answer from then on closes its connection — a
    // client (or load balancer) that keeps its connection busy would otherwise hold the stop for
    // as long as it sends. Requests still running after the grace are cut off.
    let draining = false;
    server.prependListener('request', (_req, res) => {
      if (draining) res.setHeader('connection', 'close');
    });
    closers.push({
      role: 'gateway',
      close: () =>
        new Promise<void>((resolve) => {
          draining = true;
          const cut = setTimeout(() => server.closeAllConnections(), GATEWAY_DRAIN_MS);
          server.close(() => {
            clearTimeout(cut);
            resolve();
          });
          server.closeIdleConnections();
        }),
    });
    log.info({ url: `${url}/api/v1`, openapi: `${url}/api/v1/openapi.json` }, 'gateway listening');
  }

  // Every process, whatever its roles: the database's figures (from the one holding the lock),
  // and its own metrics without a key on METRICS_PORT.
  const stateMetrics = registerStateMetrics(core, () => (opsKafka ??= kafka ?? createKafka(config, 'hotline-hub-ops')), calendar, now);
  const metricsServer = config.METRICS_PORT === '' ? undefined : await serveMetrics(config.METRICS_HOST, config.METRICS_PORT);
  if (metricsServer) log.info({ metrics: `http://${config.METRICS_HOST}:${config.METRICS_PORT}/metrics` }, 'metrics listening');
  closers.push({ role: 'adapters', close: async () => Promise.all([stateMetrics.close(), metricsServer?.close()]).then(() => undefined) });

  let closing: Promise<void> | undefined;
  let stopping: string | undefined;
  return {
    log,
    store,
    outbox,
    url,
    demoKeys,
    ready,
    stopping: () => stopping,
    close: () =>
      (closing ??= (async () => {
        for (const role of ROLES) {
          for (const c of closers.filter((x) => x.role === role)) {
            stopping = `the ${role} role`;
            await c.close();
            log.info({ role }, 'role stopped');
          }
        }
        stopping = 'the engine client';
        await engine.close();
        stopping = 'the database pool';
        await core.close();
        stopping = 'tracing';
        await tracing.stop();
        stopping = undefined;
      })()),
  };
}

