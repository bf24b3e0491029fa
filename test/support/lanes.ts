/**
 * Test lanes: the integration tests run in TEST_LANES worker processes side by side, each lane on a
 * stack of its own (Zeebe, the Camunda 7 engine and Kafka on ports and in a cache folder of its
 * own, started fresh for the run), so that one file's engine clock, instances and topics never
 * meet another's. Files of one lane run one after another; each file has its own database
 * (test/support/file-database.ts). The developer's own stack (`npm start`, default ports, .cache/)
 * is never touched.
 */
import { loadConfig, type Config } from '../../infra/config.js';

/** How many lanes: 2 on a 2-core machine (most of a test's time is spent waiting for the engine). */
export const laneCount = (env: NodeJS.ProcessEnv = process.env): number => {
  const n = Number(env.TEST_LANES ?? '2');
  if (!Number.isInteger(n) || n < 1 || n > 8) throw new Error(`TEST_LANES must be a whole number from 1 to 8, not "${env.TEST_LANES}"`);
  return n;
};

/** The test template database (migrated once per run; each file's database is made from it). */
export const templateDatabase = (databaseUrl: string): string => new URL(databaseUrl).pathname.slice(1);

/** The settings that put a process on lane `lane` (1-based): its stack's ports, cache folder and engine database. */
export function laneSettings(lane: number, templateDb: string): Record<string, string> {
  const base = 27000 + 10 * lane;
  return {
    HUB_TEST_LANE: String(lane),
    HUB_CACHE_DIR: `.cache/test-lane-${lane}`,
    ZEEBE_GATEWAY_PORT: String(base),
    ZEEBE_COMMAND_PORT: String(base + 1),
    ZEEBE_INTERNAL_PORT: String(base + 2),
    ZEEBE_MONITORING_PORT: String(base + 3),
    ZEEBE_REST_PORT: String(base + 4),
    CAMUNDA7_PORT: String(base + 5),
    KAFKA_PORT: String(base + 6),
    KAFKA_CONTROLLER_PORT: String(base + 7),
    // Pinned: each file has a database of its own, the lane's engine one of its own for the whole run.
    CAMUNDA7_DATABASE: `${templateDb}_lane${lane}_camunda`,
    // A lane's stack is the tests' own: never an external cluster the developer configured.
    ZEEBE_ADDRESS: '',
    CAMUNDA7_REST_URL: '',
    KAFKA_BROKERS: '',
    STACK_CLOCK_CONTROL: 'true',
    // Every file's hubs join the same consumer group on the lane's Kafka (the hub's inbound group),
    // and the fault tests kill hubs: a killed hub's membership would hold up the next file's first
    // unit reply for up to kafkajs's 30 s (the length of a test's wait). 6 s: the broker's minimum.
    KAFKA_SESSION_TIMEOUT_MS: '6000',
    // Every hub the tests close waits for its last Camunda 7 fetch (a fetch left waiting locks the
    // next task for nobody): a short long poll keeps the close short.
    CAMUNDA7_LONG_POLL_MS: '1000',
    // The lanes' engines refuse any REST request without the hub's credentials, as a production
    // engine must: every test on Camunda 7 shows the hub signs in wherever it calls it.
    CAMUNDA7_USERNAME: 'hub',
    CAMUNDA7_PASSWORD: `lane-${lane}-engine-password`,
    // The tests' JVMs run minutes and restart after clock moves: the C1 compiler alone and a serial
    // collector start them sooner and leave more of two cores to the tests (TEST_JAVA_OPTIONS='' to compare).
    STACK_JAVA_OPTIONS: process.env.TEST_JAVA_OPTIONS ?? '-XX:TieredStopAtLevel=1 -XX:+UseSerialGC',
  };
}

/** The configuration of a lane, on top of the environment. */
export const laneConfig = (lane: number, env: NodeJS.ProcessEnv = process.env): Config =>
  loadConfig({ ...env, ...laneSettings(lane, templateDatabase(env.DATABASE_URL!)) });
