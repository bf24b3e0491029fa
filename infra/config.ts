/**
 * Every environment variable the hub reads, declared once: name, type, default and meaning.
 * The Config type is derived from this table, and docs/configuration.md's table is generated
 * from it (`npm run config:doc`; a unit test keeps it in step).
 *
 * Read once at start (loadConfig); a wrong value stops start-up with the variable's name.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { LINK_TOKEN_LENGTH, SMS_LINK_BASE_MAX } from '../domain/notices.js';
import { mysqlUrlProblem } from './db/mysql-url.js';
import { isKeyValueList, SAMPLERS } from './otel-env.js';

/** Whether `zone` is a time zone this runtime knows (IANA names: Asia/Shanghai, Asia/Urumqi, …). */
function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** The repository root: infra/ sits directly below it. */
/** The repository (or the image's /app): where bpmn/, config/ and console/ are, whether this runs from the sources or compiled into dist/. */
export const projectRoot = ((here: string) => (path.basename(here) === 'dist' && fs.existsSync(path.join(here, '..', 'package.json')) ? path.dirname(here) : here))(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..'));

interface Setting<S extends z.ZodType> {
  schema: S;
  default: string;
  doc: string;
  /**
   * A secret, never printed, not even in an error, and readable from a file (NAME_FILE, for
   * container secrets): `true` for the whole value, 'url' for a URL whose password is masked.
   */
  secret?: boolean | 'url';
}

const setting = <S extends z.ZodType>(schema: S, defaultValue: string, doc: string, secret: boolean | 'url' = false): Setting<S> => ({
  schema,
  default: defaultValue,
  doc,
  secret,
});

const flag = z.enum(['true', 'false']).transform((v) => v === 'true');

const port = z.coerce.number().int().min(1).max(65535);
const heap = z.string().regex(/^\d+[mMgG]$/, 'a JVM heap size such as 512m or 1g');
const version = z.string().regex(/^\d+\.\d+\.\d+$/, 'a version such as 8.5.8');
const mysqlUrl = z.string().superRefine((v, ctx) => {
  const problem = mysqlUrlProblem(v);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

export const settings = {
  DATABASE_URL: setting(
    mysqlUrl,
    'mysql://root@127.0.0.1:3306/hotline_hub',
    'MySQL 8 or MariaDB 10.11+ holding orders, history and the outbox; the database is created if missing. Parameters: ssl=true (TLS, the certificate checked), ssl-ca=<file>, ssl-verify=false, socket=<path> (a Unix socket). Its password is never printed (DATABASE_URL_FILE: read from a file).',
    'url',
  ),
  AUDIT_DATABASE_URL: setting(
    z.union([z.literal(''), mysqlUrl]),
    '',
    'The audit trail\'s own connection: a database user that may only add and read audit_log rows (docs/access.md "Database users"), so that the hub\'s user needs no right over the audit log. Empty: the audit trail writes through DATABASE_URL.',
    'url',
  ),
  DATABASE_MIGRATIONS: setting(
    z.enum(['run', 'check']),
    'run',
    'run: bring the schema up to date at start, one process at a time (a server-wide lock); check: migrate nothing and refuse to start while a migration is pending (every process but the one meant to migrate).',
  ),
  HUB_ENGINE: setting(
    z.enum(['zeebe', 'camunda7']),
    'zeebe',
    'Which process engine runs the models: zeebe (Camunda 8 Zeebe) or camunda7 (a Camunda 7-API engine: Camunda 7 CE, or Operaton; open source end to end). See docs/stack.md "Engines".',
  ),
  DATABASE_POOL_SIZE: setting(z.coerce.number().int().min(2).max(500), '20', "Connections each hub process keeps to MySQL at most (the audit trail's own pool, AUDIT_DATABASE_URL, keeps 4). Processes × this must stay under the server's max_connections."),
  LOCAL_STACK: setting(
    flag,
    'true',
    'true (development, what npm start does): `hub start` starts the local Zeebe or Camunda 7 and Kafka when they are not running. false (production, the container): it starts nothing, and ZEEBE_ADDRESS (or CAMUNDA7_REST_URL) and KAFKA_BROKERS must name the services.',
  ),
  ZEEBE_ADDRESS: setting(
    z.string().regex(/^$|^[^\s:]+:\d+$/, 'host:port, or empty for the local stack'),
    '',
    'Zeebe gRPC gateway (host:port) of an existing cluster. Empty: the local stack starts Zeebe and the hub uses 127.0.0.1:ZEEBE_GATEWAY_PORT.',
  ),
  KAFKA_BROKERS: setting(
    z.string().regex(/^$|^[^\s:,]+:\d+(,[^\s:,]+:\d+)*$/, 'host:port[,host:port...], or empty for the local stack'),
    '',
    'Kafka bootstrap brokers (host:port, comma-separated) of an existing cluster. Empty: the local stack starts Kafka and the hub uses 127.0.0.1:KAFKA_PORT.',
  ),
  CATALOG_FILE: setting(
    z.string().min(1),
    'config/catalog.json',
    'Categories, districts and units (codes, zh-CN names, unit e-mail), relative to the repository root.',
  ),
  ASSESSMENT_FILE: setting(
    z.string().min(1),
    'config/assessment.json',
    '考核办法: the weights of the rates, the deductions and the minimum of dispatches by which units and districts are scored and ranked (docs/assessment.md), relative to the repository root.',
  ),
  REPLY_QUALITY_FILE: setting(
    z.string().min(1),
    'config/reply-quality.json',
    '答非所问: the minimum length of a unit\'s answer, the share of the request\'s terms it must name, the template phrases (套话) and the action words; an answer below the threshold goes to a supervisor\'s review with the reasons. Relative to the repository root. off: no check (review-policy.dmn alone decides).',
  ),
  ATTACHMENT_MAX_BYTES: setting(
    z.coerce.number().int().min(1024).max(15 * 1024 * 1024),
    String(5 * 1024 * 1024),
    '附件: the largest file taken on an order, in bytes (at most 15 MiB: MariaDB\'s default max_allowed_packet is 16 MiB).',
  ),
  ATTACHMENT_TYPES: setting(
    z.string().regex(/^(image\/jpeg|image\/png|application\/pdf)(,(image\/jpeg|image\/png|application\/pdf))*$/),
    'image/jpeg,image/png,application/pdf',
    '附件: the kinds of file taken (of image/jpeg, image/png, application/pdf), comma-separated; a file is what its bytes are, not what the upload says.',
  ),
  ATTACHMENTS_PER_ORDER: setting(z.coerce.number().int().min(1).max(200), '20', '附件: the most files one order takes.'),
  SPOT_CHECK_FILE: setting(
    z.string().min(1),
    'config/spot-checks.json',
    '抽查（质检）: the share of closing orders drawn for a supervisor\'s quality check of the answer (by category, callback and redo), and the working days a failed check gives the unit to answer again. Relative to the repository root. off: no spot checks.',
  ),
  MAJOR_INCIDENTS_FILE: setting(
    z.string().min(1),
    'config/major-incidents.json',
    '重大事项预警: the major or public-safety matters (epidemic, disaster, pollution, food safety, mass incident…) by keyword or category; a request naming one is escalated at intake to the duty leader on duty. Relative to the repository root.',
  ),
  OPEN311_FILE: setting(
    z.string().min(1),
    'config/open311-services.yaml',
    'Open311 GeoReport v2: the services offered to citizen-reporting apps, each a hub category, and the districts\' boxes (relative to the repository root).',
  ),
  TASK_DUE_MINUTES: setting(
    z.coerce.number().int().min(1).max(60 * 24 * 30),
    '240',
    'How long a person has for a task (re-dispatch, return review, answer review) before it is chased; an extension approval is due by the order\'s current deadline.',
  ),
  STUCK_NO_PROGRESS_MINUTES: setting(
    z.coerce.number().int().min(1).max(60 * 24),
    '10',
    'hub stuck: an order in a step the process finishes by itself (classify, decide, redo) unchanged this long is stuck.',
  ),
  STUCK_MESSAGE_SECONDS: setting(z.coerce.number().int().min(1).max(86_400), '300', 'hub stuck: an engine message delivered this long ago that the process has not acted on (no job of the order ran since) is a message no instance took: it expired before the instance waited, or the instance is elsewhere.'),
  STUCK_OUTBOX_SECONDS: setting(z.coerce.number().int().min(5).max(86_400), '120', 'hub stuck: a message in the outbox not delivered this long is stuck (its channel down, slow, or no instance takes it).'),
  STUCK_TIMER_GRACE_MINUTES: setting(
    z.coerce.number().int().min(1).max(60 * 24),
    '15',
    'hub stuck: a deadline passed by this long with nothing recorded on the order since is a timer that did not fire.',
  ),
  DIGEST_HOUR: setting(
    z.union([z.literal('off'), z.coerce.number().int().min(0).max(23)]),
    '7',
    '群众来电摘报: from this hour (China time) each morning, the digest of the day before is made from the orders and mailed (once, whichever process is first). off: no digest.',
  ),
  DIGEST_EMAILS: setting(
    z.string().regex(/^$|^[^\s,@]+@[^\s,@]+(,[^\s,@]+@[^\s,@]+)*$/, 'e-mail addresses, comma-separated, or empty'),
    '',
    '群众来电摘报: who reads the daily digest (the centre\'s leaders), comma-separated. Empty: the duty leader on duty (值班表).',
  ),
  DIGEST_SWEEP_MS: setting(z.coerce.number().int().min(100).max(3_600_000), '60000', 'How often the workers look whether the daily digest is due.'),
  TASK_SWEEP_MS: setting(z.coerce.number().int().min(100).max(3_600_000), '60000', 'How often the workers look for tasks left open past their deadline.'),
  RETENTION_OUTBOX_DAYS: setting(z.coerce.number().int().min(1).max(3650), '30', 'Retention: sent outbox messages (their payloads hold names, phones, e-mail addresses) of orders that are done are deleted this many days after sending. Unsent and parked ones stay.'),
  RETENTION_INBOX_DAYS: setting(z.coerce.number().int().min(1).max(3650), '30', 'Retention: the ids of messages already taken (inbox, adapters\' deliveries) are deleted after this many days. Keep it longer than Kafka keeps a message (log.retention, 7 days by default), or a redelivered one would be taken again.'),
  RETENTION_DEAD_LETTER_DAYS: setting(z.coerce.number().int().min(1).max(3650), '90', 'Retention: dead letters (refused messages as sent, replayed or not) are deleted after this many days.'),
  RETENTION_TRAIL_DAYS: setting(z.coerce.number().int().min(1).max(3650), '365', 'Retention: the order trail (jobs\' outcomes, messages read, operators\' actions) is deleted after this many days. Orders, their history and the audit log are never deleted by the hub.'),
  RETENTION_SWEEP_MS: setting(z.coerce.number().int().min(1000).max(86_400_000), '3600000', 'How often the workers delete what the RETENTION_* settings no longer keep.'),
  REPEATS_FILE: setting(
    z.string().min(1),
    'config/repeats.json',
    '重复件: when a request is merged into an open order instead of dispatched again — the same caller (window, how alike the address), another caller (a shorter window, a closer address or a radius on the map, the categories) — and at how many repeat calls the matter is reported up (督办, then the leaders). Relative to the repository root. off: nothing merged.',
  ),
  CALENDAR_FILE: setting(
    z.string().min(1),
    'config/calendar.json',
    'The city\'s working-day calendar on top of the chinese-days package: years to add or correct (holidays, make-up working days), relative to the repository root.',
  ),
  PORT: setting(port, '3000', 'HTTP port of the gateway (API, OpenAPI document, console).'),
  METRICS_PORT: setting(
    z.union([z.literal(''), port]),
    '',
    "A port of this process's own that serves GET /metrics without a key, whatever its roles (a workers-only or adapters-only process too): for Prometheus on the hub's private network. Give each process on a host its own. Empty: none (a gateway still serves /metrics to operator and admin keys).",
  ),
  METRICS_HOST: setting(z.string().min(1), '127.0.0.1', 'The address METRICS_PORT listens on: loopback by default; the private network\'s address for a Prometheus elsewhere. Never the address citizens reach.'),
  PUBLIC_URL: setting(
    z.union([z.literal(''), z.url({ protocol: /^https?$/ }).refine((v) => !v.endsWith('/'), 'no trailing slash')]),
    '',
    'The gateway\'s address as citizens reach it (https://12345.example.gov.cn): links in mails to citizens (the e-mail confirmation) start with it. Empty: http://HOST:PORT, for a local demo.',
  ),
  HOST: setting(
    z.string().regex(/^[A-Za-z0-9.:-]+$/, 'an address to listen on, such as 127.0.0.1 or 0.0.0.0'),
    '127.0.0.1',
    'Address the gateway listens on: loopback by default; set the address of the interface a reverse proxy or the government network reaches.',
  ),
  TRUST_PROXY: setting(
    z.string().regex(/^$|^(loopback|linklocal|uniquelocal|\d{1,2}|[0-9a-fA-F.:/]+)(,(loopback|linklocal|uniquelocal|[0-9a-fA-F.:/]+))*$/, 'empty, loopback, a hop count, or proxy addresses'),
    '',
    'Which reverse proxies may name the client address (X-Forwarded-For) that the audit trail and the rate limit use. Empty: none, the peer address counts.',
  ),
  CORS_ORIGINS: setting(
    z.string().regex(/^$|^https?:\/\/[^\s,]+(,https?:\/\/[^\s,]+)*$/, 'empty, or origins such as https://console.example.gov.cn, comma-separated'),
    '',
    'Web origins allowed to call the API from a browser (CORS). Empty: none; the console is served from the gateway itself.',
  ),
  CENTRE_TIME_ZONE: setting(
    z.string().min(1).refine(isTimeZone, 'not an IANA time zone (e.g. Asia/Shanghai)'),
    'Asia/Shanghai',
    'The time zone the console shows every instant in, and computes its date ranges in (an IANA name). Deadlines are counted in Beijing time whatever it is: the working-day calendar is the State Council\'s.',
  ),
  RATE_LIMIT_PER_MINUTE: setting(
    z.coerce.number().int().min(1).max(1_000_000),
    '1200',
    'Requests one API key (or, without a key, one client address) may make per minute; more are answered 429 with Retry-After.',
  ),
  AUTH_FAILURES_PER_MINUTE: setting(
    z.coerce.number().int().min(1).max(100_000),
    '30',
    'Bad API keys (and wrong order-number/phone pairs at the citizens\' progress lookup) one client address may present per minute; past that its requests are answered 429 before any key is looked up (set TRUST_PROXY behind a proxy, or all clients share its address).',
  ),
  DEMO_KEYS: setting(
    flag,
    'false',
    'For a demo: on a database without any API key, the first `hub start` makes one key per role but admin (valid 30 days) and prints them once. Never in production: make keys with `hub keys create`.',
  ),
  HUB_ROLES: setting(
    z.string().regex(/^(gateway|workers|adapters)(,(gateway|workers|adapters))*$/, 'a comma-separated subset of gateway,workers,adapters'),
    'gateway,workers,adapters',
    'Which roles this process runs; run several processes with `workers` alone to scale out.',
  ),
  ADAPTERS: setting(
    z.string().regex(/^$|^[a-z0-9-]+(,[a-z0-9-]+)*$/, 'adapter names, comma-separated'),
    '',
    'Adapters (folders under adapters/) this process runs in its `adapters` role, besides the hub\'s own reading of unit topics. Each reads its settings from ADAPTER_<NAME>_<SETTING> (docs/adapters.md; `hub adapters` lists them).',
  ),
  KAFKA_SASL_MECHANISM: setting(
    z.enum(['', 'plain', 'scram-sha-256', 'scram-sha-512']),
    '',
    'SASL mechanism the hub authenticates to Kafka with (production: scram-sha-512 over TLS, with ACLs per unit prefix). Empty: none (the local stack).',
  ),
  KAFKA_SASL_USERNAME: setting(z.string().max(200), '', 'SASL user of the hub (needed when KAFKA_SASL_MECHANISM is set).'),
  KAFKA_SASL_PASSWORD: setting(z.string().max(500), '', 'SASL password of the hub (needed when KAFKA_SASL_MECHANISM is set); never printed.', true),
  KAFKA_TLS: setting(flag, 'false', 'Talk to Kafka over TLS.'),
  KAFKA_SESSION_TIMEOUT_MS: setting(
    z.coerce.number().int().min(6000).max(300000),
    '10000',
    'Session timeout of the hub\'s consumer of the unit and partner topics: a hub that died (kill -9, a lost host) holds its partitions this long before the other hubs take them over, and a hub starting meanwhile holds the whole group\'s reading until then (units\' replies then come in a burst). Shorter: a faster take-over, but a hub paused longer (a long GC, one message taking longer than this) loses its partitions and the group rebalances. 10 s: the cluster test saw replies stop for 10 s and then dispatches slowed to 2.4 s with 30 s.',
  ),
  KAFKA_TLS_CA_FILE: setting(z.string(), '', 'PEM file of the CA that signed the Kafka brokers\' certificates, when it is not a public one (needs KAFKA_TLS=true).'),
  ZEEBE_TLS: setting(flag, 'false', 'Talk to the Zeebe gateway over TLS (grpcs).'),
  ZEEBE_TLS_CA_FILE: setting(z.string(), '', 'PEM file of the CA that signed the Zeebe gateway\'s certificate, when it is not a public one (needs ZEEBE_TLS=true).'),
  ZEEBE_LONG_POLL_SECONDS: setting(
    z.coerce.number().int().min(1).max(300),
    '10',
    'How long one job-activation request of a Zeebe worker waits at the gateway for work (long polling), then asks again. Bounds how long a job can wait when the gateway misses telling a waiting request of it (a known Zeebe race); the SDK\'s own default is 50 s.',
  ),
  ZEEBE_POLL_INTERVAL_MS: setting(
    z.coerce.number().int().min(5).max(10_000),
    '20',
    'How soon a Zeebe worker asks for jobs again after a request came back with some. Until it asks, a job of its type waits: with the SDK\'s own 300 ms, each task of an order waited up to that long at a steady load. Lower costs a timer tick per worker per interval.',
  ),
  SMTP_URL: setting(
    z.string().regex(/^$|^smtps?:\/\/.+/, 'smtp://host:port or smtps://user:pass@host:port'),
    '',
    'SMTP server through which units are told of dispatched orders by e-mail. Empty: e-mails wait in the outbox (logged) until one is set. Its password is never printed (SMTP_URL_FILE: read from a file).',
    'url',
  ),
  MAIL_FROM: setting(z.string().min(3), '12345热线 <hotline@hub.example.invalid>', 'Sender of the e-mail to units.'),
  OUTBOX_POLL_MS: setting(
    z.coerce.number().int().min(50).max(60000),
    '500',
    'How often the outbox relay looks for rows that other processes wrote (rows this process writes wake it at once).',
  ),
  OUTBOX_BATCH_SIZE: setting(z.coerce.number().int().min(1).max(1000), '100', 'Outbox rows one relay claims per round and channel (Kafka sends them as one batch).'),
  OUTBOX_LEASE_MS: setting(
    z.coerce.number().int().min(1000).max(600000),
    '30000',
    'How long a claimed outbox row belongs to one relay; a relay that died gives its rows up after this.',
  ),
  OUTBOX_MAX_ATTEMPTS: setting(
    z.coerce.number().int().min(1).max(1000),
    '20',
    'Failed deliveries of one outbox row before it is parked for a person (`hub outbox parked`, `hub outbox replay`).',
  ),
  OUTBOX_RETRY_INITIAL_MS: setting(z.coerce.number().int().min(10).max(600000), '1000', 'Delay after a row\'s first failed delivery; it doubles with each failure (with jitter).'),
  OUTBOX_RETRY_MAX_MS: setting(z.coerce.number().int().min(10).max(86400000), '600000', 'Longest delay between two deliveries of one row.'),
  SMS_URL: setting(
    z.union([z.literal(''), z.url()]),
    '',
    'SMS gateway (adapters/sms-gateway) through which citizens get receipts and closing notices on their mobile. Empty: no SMS is sent or kept.',
  ),
  SMS_LINK_BASE: setting(
    z.string().max(SMS_LINK_BASE_MAX, `at most ${SMS_LINK_BASE_MAX} characters, so that the closing SMS with its link fits one segment`).regex(/^[A-Za-z0-9.:/-]*$/, 'an address without spaces, such as 12345.example.gov.cn/p/'),
    '',
    `The address the closing SMS's evaluation link (一事一评) starts with, before an ${LINK_TOKEN_LENGTH}-character token: the gateway's /p/ path on a short public name, with or without https:// (\`12345.example.gov.cn/p/\`), at most ${SMS_LINK_BASE_MAX} characters so that the SMS stays one segment. Empty: PUBLIC_URL without its scheme and /p/, when that is short enough; otherwise the SMS goes without a link (the e-mail keeps it).`,
  ),
  SMS_KEY: setting(z.string().max(200), '', 'The key the SMS gateway expects in X-Sms-Key; never printed.', true),
  MAIL_CONCURRENCY: setting(z.coerce.number().int().min(1).max(64), '4', 'E-mails sent at once (SMTP connections in the pool).'),
  SMTP_TIMEOUT_MS: setting(z.coerce.number().int().min(500).max(120000), '10000', 'Connection, greeting and socket timeout of the SMTP client: a dead mail server fails a row, it does not hang the relay.'),
  ENGINE_TIMEOUT_MS: setting(z.coerce.number().int().min(500).max(120000), '5000', 'Deadline of one call to Zeebe or Kafka from the relay and the readiness check.'),
  OTEL_EXPORTER_OTLP_ENDPOINT: setting(
    z.string().regex(/^$|^https?:\/\/\S+$/, 'http(s)://host:port of an OpenTelemetry collector, or empty'),
    '',
    'OpenTelemetry: the collector (OTLP over HTTP, e.g. http://127.0.0.1:4318) that receives the traces following each order from HTTP through the jobs to the adapters; empty: no traces. OTEL_BSP_* tune the batching.',
  ),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: setting(
    z.string().regex(/^$|^https?:\/\/\S+$/, 'the full http(s) URL traces are posted to, or empty'),
    '',
    'OpenTelemetry: the full URL traces are posted to (OTLP over HTTP), taken as it is; empty: OTEL_EXPORTER_OTLP_ENDPOINT + /v1/traces.',
  ),
  OTEL_EXPORTER_OTLP_HEADERS: setting(
    z.string().max(4000).refine(isKeyValueList, 'key=value pairs separated by commas, values percent-encoded'),
    '',
    'OpenTelemetry: headers sent with every export (key=value,…, values percent-encoded), e.g. authorization=Bearer%20… for a collector that asks for a token. Never printed.',
    true,
  ),
  OTEL_RESOURCE_ATTRIBUTES: setting(
    z.string().max(4000).refine(isKeyValueList, 'key=value pairs separated by commas, values percent-encoded'),
    '',
    'OpenTelemetry: attributes of this process in every trace (key=value,…), e.g. deployment.environment.name=production,service.namespace=12345. OTEL_SERVICE_NAME wins over a service.name here.',
  ),
  OTEL_TRACES_SAMPLER: setting(z.enum(SAMPLERS), 'parentbased_always_on', 'OpenTelemetry: which traces are kept (always_on, always_off, traceidratio, parentbased_*: follow the caller\'s decision when there is one).'),
  OTEL_TRACES_SAMPLER_ARG: setting(z.union([z.literal(''), z.coerce.number().min(0).max(1)]), '', 'OpenTelemetry: the share of traces kept by traceidratio and parentbased_traceidratio (0-1; empty: 1).'),
  OTEL_SDK_DISABLED: setting(flag, 'false', 'OpenTelemetry: true exports no traces, whatever the endpoint says.'),
  OTEL_SERVICE_NAME: setting(z.string().min(1).max(100), 'hotline-hub', 'OpenTelemetry: the service name the traces carry.'),
  LOG_LEVEL: setting(z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace']), 'info', 'Log level (pino).'),
  HUB_CACHE_DIR: setting(
    z.string().min(1),
    '.cache',
    'Where the local stack keeps its data, logs and pids (relative to the repository root); git ignores it.',
  ),
  STACK_DIST_DIR: setting(
    z.string().min(1),
    '.cache/dist',
    'Where the local stack keeps the distributions it resolved from Maven Central (Zeebe, Camunda 7, Kafka), relative to the repository root. Shared by every stack of the checkout (the tests\' lanes too): resolved once, read only.',
  ),
  ZEEBE_VERSION: setting(
    version,
    '8.5.8',
    'Zeebe broker version the local stack runs (8.5.x: Zeebe Community License, free in production; 8.6.x: Camunda License, production needs a key). See docs/stack.md "Zeebe version and licence".',
  ),
  ZEEBE_GATEWAY_PORT: setting(port, '26500', 'Zeebe gRPC gateway port (loopback).'),
  ZEEBE_COMMAND_PORT: setting(port, '26501', 'Zeebe broker command API port (loopback, internal).'),
  ZEEBE_INTERNAL_PORT: setting(port, '26502', 'Zeebe cluster-internal port (loopback, internal).'),
  ZEEBE_MONITORING_PORT: setting(port, '9600', 'Zeebe health and metrics port (loopback).'),
  ZEEBE_REST_PORT: setting(port, '8088', 'Zeebe REST gateway port (loopback; the hub uses gRPC only).'),
  ZEEBE_HEAP: setting(heap, '768m', 'Zeebe JVM heap (-Xmx); RocksDB state lives off-heap besides.'),
  CAMUNDA7_VERSION: setting(version, '7.24.0', 'Camunda 7 Community Edition version the local stack runs when HUB_ENGINE=camunda7 (Apache-2.0; 7.24 is the last CE release).'),
  CAMUNDA7_PORT: setting(port, '8090', 'REST port of the local Camunda 7 engine (loopback).'),
  CAMUNDA7_HEAP: setting(heap, '512m', 'Camunda 7 engine JVM heap (-Xmx).'),
  CAMUNDA7_DATABASE: setting(
    z.string().regex(/^$|^[A-Za-z0-9_]+$/, 'a database name'),
    '',
    'Database of the Camunda 7 engine on the DATABASE_URL server. Empty: the hub\'s database name with _camunda appended.',
  ),
  CAMUNDA7_REST_URL: setting(
    z.string().regex(/^$|^https?:\/\/\S+$/, 'http(s)://host:port/engine-rest, or empty for the local stack'),
    '',
    'REST API of an existing Camunda 7-API engine (…/engine-rest). Empty: the local stack starts one on 127.0.0.1:CAMUNDA7_PORT.',
  ),
  CAMUNDA7_USERNAME: setting(
    z.string().max(200).regex(/^[^:]*$/, 'a user name without ":"'),
    '',
    'User the hub signs in to the Camunda 7 REST API as (HTTP Basic), with CAMUNDA7_PASSWORD. Set for any engine other than a loopback one; the local stack then starts its engine with this user and its REST API refusing any request without it.',
  ),
  CAMUNDA7_PASSWORD: setting(z.string().max(500), '', 'Password of CAMUNDA7_USERNAME; never printed.', true),
  CAMUNDA7_LONG_POLL_MS: setting(
    z.coerce.number().int().min(100).max(1_800_000),
    '10000',
    'How long one external-task fetch waits at the Camunda 7 engine for work (long polling). A stopping hub waits for its last fetch, at most this long, and gives back the tasks it brought.',
  ),
  KAFKA_VERSION: setting(
    version,
    '3.9.2',
    'Apache Kafka broker version (KRaft) the local stack runs. See docs/stack.md "Why Kafka 3.9".',
  ),
  KAFKA_PORT: setting(port, '9092', 'Kafka client listener port (loopback).'),
  KAFKA_CONTROLLER_PORT: setting(port, '9093', 'Kafka KRaft controller port (loopback).'),
  KAFKA_HEAP: setting(heap, '512m', 'Kafka JVM heap (-Xmx).'),
  STACK_CLOCK_CONTROL: setting(
    flag,
    'false',
    'Let tests move the local engines\' clocks (Zeebe\'s /actuator/clock, Camunda 7\'s /engine-rest/hub-clock). For tests only: anyone on the machine could move time.',
  ),
  STACK_JAVA_OPTIONS: setting(
    z.string().regex(/^[\w\s:=+./-]*$/, 'JVM options: letters, digits and -:=+./ only'),
    '',
    'Extra JVM options for the local stack\'s Java components, space-separated. The tests use -XX:TieredStopAtLevel=1 -XX:+UseSerialGC (quicker starts, less CPU on two cores); leave empty in production.',
  ),
  STACK_CLUSTER: setting(
    flag,
    'false',
    'The local stack as clusters (`npm run stack -- up --cluster`): three Zeebe brokers (3 partitions, replication factor 3) behind a standalone gateway on ZEEBE_GATEWAY_PORT, and three Kafka brokers in KRaft mode (replication factor 3, min.insync.replicas=2), all on loopback. The hub then talks to the gateway and to all three Kafka brokers. For trying failures on one machine; a centre runs each on its own servers (docs/scaling.md).',
  ),
  STACK_CLUSTER_PORT_BASE: setting(
    z.coerce.number().int().min(1024).max(65000),
    '27000',
    'First of the loopback ports the cluster stack takes (about 140 from it): the Zeebe brokers\' and the gateway\'s internal ports, and the Kafka brokers\' (their client ports are BASE+101, +111, +121).',
  ),
  STACK_START_TIMEOUT_SECONDS: setting(
    z.coerce.number().int().min(10).max(1800),
    '240',
    'How long `stack up` waits for each component to become healthy before it gives up.',
  ),
} as const;

type Settings = typeof settings;
export type SettingName = keyof Settings;
export type Config = { readonly [K in SettingName]: z.output<Settings[K]['schema']> } & {
  /** Every ADAPTER_* variable: each adapter validates its own (adapters/kit/settings.ts). */
  readonly adapterEnv: Readonly<Record<string, string>>;
};

export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID';
  readonly retriable = false;
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration, fix these environment variables and start again:\n  ${problems.join('\n  ')}`);
    this.name = 'ConfigError';
  }
}

/** How a value may appear in an error: a secret never, a URL's password masked. */
function shown(s: Setting<z.ZodType>, raw: string): string {
  if (s.secret === true) return '(hidden)';
  if (s.secret === 'url') return JSON.stringify(maskUrlPassword(raw));
  return JSON.stringify(raw);
}

/**
 * A URL with the password of its user masked (mysql://hub:***@db:3306/hotline_hub), a malformed
 * one too: everything between the user's ":" and the last "@" goes.
 */
export function maskUrlPassword(url: string): string {
  const at = url.lastIndexOf('@');
  if (at < 0) return url;
  const scheme = /^[a-z][a-z0-9+.-]*:\/*/i.exec(url)?.[0] ?? '';
  const userinfo = url.slice(scheme.length, at);
  const colon = userinfo.indexOf(':');
  return colon < 0 ? url : `${scheme}${userinfo.slice(0, colon)}:***${url.slice(at)}`;
}

/** Parses the environment once; an empty variable counts as unset; a secret may come from NAME_FILE. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const problems: string[] = [];
  const out: Record<string, unknown> = {};
  for (const [name, s] of Object.entries(settings) as [SettingName, Setting<z.ZodType>][]) {
    let given = env[name] === '' ? undefined : env[name];
    const file = s.secret ? env[`${name}_FILE`] || undefined : undefined;
    if (file !== undefined) {
      if (given !== undefined) {
        problems.push(`${name} and ${name}_FILE: set one of them, not both`);
        continue;
      }
      try {
        // A secrets file's last line break is not part of the secret.
        given = fs.readFileSync(path.resolve(projectRoot, file), 'utf8').replace(/\r?\n$/, '');
      } catch (err) {
        problems.push(`${name}_FILE=${JSON.stringify(file)}: cannot be read (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
        continue;
      }
    }
    const raw = given ?? s.default;
    const parsed = s.schema.safeParse(raw);
    if (parsed.success) out[name] = parsed.data;
    else problems.push(`${name}=${shown(s, raw)}: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
  }
  // Settings that only make sense together.
  if (out.KAFKA_SASL_MECHANISM && (!out.KAFKA_SASL_USERNAME || !out.KAFKA_SASL_PASSWORD)) {
    problems.push(`KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD: both are needed with KAFKA_SASL_MECHANISM=${String(out.KAFKA_SASL_MECHANISM)}`);
  }
  if (!out.CAMUNDA7_USERNAME !== !out.CAMUNDA7_PASSWORD) problems.push('CAMUNDA7_USERNAME and CAMUNDA7_PASSWORD: set both, or neither');
  for (const [file, tls] of [['KAFKA_TLS_CA_FILE', 'KAFKA_TLS'], ['ZEEBE_TLS_CA_FILE', 'ZEEBE_TLS']] as const) {
    const f = out[file] as string | undefined;
    if (!f) continue;
    if (!out[tls]) problems.push(`${file}=${JSON.stringify(f)}: set ${tls}=true as well, or leave it empty`);
    else if (!fs.existsSync(path.resolve(projectRoot, f))) problems.push(`${file}=${JSON.stringify(f)}: no such file`);
  }
  // In production nothing is started for the hub: a missing address is a mistake, not a cue to start a local broker.
  if (out.LOCAL_STACK === false) {
    if (out.HUB_ENGINE === 'zeebe' && !out.ZEEBE_ADDRESS) problems.push('ZEEBE_ADDRESS: required with LOCAL_STACK=false (the Zeebe gateway, host:port)');
    if (out.HUB_ENGINE === 'camunda7' && !out.CAMUNDA7_REST_URL) problems.push('CAMUNDA7_REST_URL: required with LOCAL_STACK=false and HUB_ENGINE=camunda7');
    if (!out.KAFKA_BROKERS) problems.push('KAFKA_BROKERS: required with LOCAL_STACK=false (host:port[,host:port…])');
  }
  if (problems.length > 0) throw new ConfigError(problems);
  out.adapterEnv = Object.freeze(Object.fromEntries(Object.entries(env).filter(([k, v]) => k.startsWith('ADAPTER_') && v !== undefined && v !== '') as Array<[string, string]>));
  return Object.freeze(out) as Config;
}

/** The configuration table of docs/configuration.md, generated from the declarations above. */
export function configTableMarkdown(): string {
  const rows = Object.entries(settings).map(
    ([name, s]) => `| \`${name}\` | \`${s.default}\` | ${s.doc.replace(/\|/g, '\\|')} |`,
  );
  return ['| variable | default | meaning |', '| --- | --- | --- |', ...rows].join('\n');
}

/** The Zeebe gateway the hub talks to: the configured cluster, or the local stack's. */
export const zeebeAddress = (c: Config): string => c.ZEEBE_ADDRESS || `127.0.0.1:${c.ZEEBE_GATEWAY_PORT}`;

/** The Kafka bootstrap brokers: the configured cluster, or the local stack's. */
export const kafkaBrokers = (c: Config): string[] =>
  c.KAFKA_BROKERS ? c.KAFKA_BROKERS.split(',') : c.STACK_CLUSTER ? CLUSTER_NODES.map((n) => `127.0.0.1:${clusterPorts(c, n).kafka}`) : [`127.0.0.1:${c.KAFKA_PORT}`];

/** The cluster stack's nodes (STACK_CLUSTER): three of each. */
export const CLUSTER_NODES = [1, 2, 3] as const;

/** Loopback ports of node n (1–3) of the cluster stack, from STACK_CLUSTER_PORT_BASE. */
export function clusterPorts(c: Pick<Config, 'STACK_CLUSTER_PORT_BASE'>, n: number) {
  const b = c.STACK_CLUSTER_PORT_BASE;
  return {
    zeebeCommand: b + 10 * n + 1,
    zeebeInternal: b + 10 * n + 2,
    zeebeMonitoring: b + 10 * n + 3,
    zeebeRest: b + 10 * n + 4,
    kafka: b + 100 + 10 * (n - 1) + 1,
    kafkaController: b + 100 + 10 * (n - 1) + 2,
  };
}

/** Ports of the cluster stack's standalone Zeebe gateway besides its gRPC port (ZEEBE_GATEWAY_PORT). */
export const clusterGatewayPorts = (c: Pick<Config, 'STACK_CLUSTER_PORT_BASE'>) => ({ internal: c.STACK_CLUSTER_PORT_BASE + 1, monitoring: c.STACK_CLUSTER_PORT_BASE + 2, rest: c.STACK_CLUSTER_PORT_BASE + 3 });

/** The Camunda 7-API engine's REST API: the configured one, or the local stack's. */
export const camunda7RestUrl = (c: Config): string => c.CAMUNDA7_REST_URL || `http://127.0.0.1:${c.CAMUNDA7_PORT}/engine-rest`;

/** Where the Camunda 7 REST API is and what every request to it carries (HTTP Basic when CAMUNDA7_USERNAME is set). */
export interface Camunda7Api {
  url: string;
  headers: Readonly<Record<string, string>>;
}

export const camunda7Api = (c: Config): Camunda7Api => ({
  url: camunda7RestUrl(c),
  headers: c.CAMUNDA7_USERNAME ? { authorization: `Basic ${Buffer.from(`${c.CAMUNDA7_USERNAME}:${c.CAMUNDA7_PASSWORD}`, 'utf8').toString('base64')}` } : {},
});
