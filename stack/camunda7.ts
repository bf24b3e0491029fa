/**
 * The Camunda 7-API engine of the open-source path (HUB_ENGINE=camunda7): Camunda 7 Community
 * Edition with its REST API, as a small Spring Boot application whose jars come from Maven Central
 * (maven/camunda7/pom.xml) and whose one class is compiled here with the JDK's javac. Its runtime
 * and history live in the hub's MySQL/MariaDB, in a database of its own; REST on loopback.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Config } from '../infra/config.js';
import { StackError } from './errors.js';
import type { JavaComponentSpec, StackContext } from './java-component.js';
import { resolveDependencies } from './maven.js';
import { runCommand } from './process.js';
import { parseDatabaseUrl } from './mysql.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const POM = path.join(here, 'maven', 'camunda7', 'camunda7.pom.xml');
const MAIN_SOURCE = path.join(here, 'maven', 'camunda7', 'EngineApplication.java');
const MAIN_CLASS = 'hub.stack.EngineApplication';
/** Camunda 7.24 runs on Java 17 and 21. */
export const CAMUNDA7_MIN_JAVA = 17;

const home = (ctx: StackContext): string => path.join(ctx.cacheDir, 'camunda7');
/** Per version and per content of the pom and the class: an edit to either resolves and compiles anew. */
const distDir = (ctx: StackContext, version: string): string => {
  const hash = createHash('sha256').update(fs.readFileSync(POM)).update(fs.readFileSync(MAIN_SOURCE)).digest('hex').slice(0, 8);
  return path.join(ctx.distDir, `camunda7-${version}-${hash}`);
};

/** The engine's own database on the hub's server: `<hub database>_camunda` unless named. */
export const camunda7DatabaseUrl = (config: Config): string => {
  const u = new URL(config.DATABASE_URL);
  u.pathname = `/${config.CAMUNDA7_DATABASE || `${u.pathname.slice(1)}_camunda`}`;
  return u.toString();
};


export async function camunda7Healthy(port: number): Promise<boolean> {
  const res = await fetch(`http://127.0.0.1:${port}/engine-rest/engine`, { signal: AbortSignal.timeout(2000) });
  return res.ok;
}

/** Spring Boot settings, written on every start; the database password goes by environment only. */
export function camunda7ApplicationYaml(config: Config): string {
  const db = parseDatabaseUrl(camunda7DatabaseUrl(config));
  return [
    '# Written by the hub stack command on every start; edit the settings, not this file.',
    'server:',
    '  address: 127.0.0.1',
    `  port: ${config.CAMUNDA7_PORT}`,
    'spring:',
    '  datasource:',
    // nullCatalogMeansCurrent: the engine's look for its own tables must not find another database's.
    `    url: jdbc:mysql://${db.host}:${db.port}/${db.database}?nullCatalogMeansCurrent=true&useSSL=false&allowPublicKeyRetrieval=true`,
    `    username: ${JSON.stringify(db.user)}`,
    '    hikari:',
    '      # The isolation level the engine requires.',
    '      transaction-isolation: TRANSACTION_READ_COMMITTED',
    'camunda:',
    '  bpm:',
    '    database:',
    '      schema-update: true',
    '      # MariaDB and MySQL both run the engine\'s MySQL dialect (its "mariadb" type fails to start in 7.24).',
    '      type: mysql',
    '    history-level: full',
    '    # Objects (a decision\'s result, a worker\'s output) are kept as JSON, which TypeScript workers read.',
    '    default-serialization-format: application/json',
    '    generic-properties:',
    '      properties:',
    '        # Camunda 7.20+ refuses a definition without one; the converter sets it on processes, this covers decisions.',
    '        historyTimeToLive: P180D',
    "        # A wrong password must not lock the hub's user out (the engine's default: ever longer waits, then",
    '        # locked after 10): anyone who reaches the REST API could stop the hub. It listens on loopback only;',
    '        # choose a long password.',
    '        loginMaxAttempts: 2147483647',
    '        loginDelayBase: 0',
    '        loginDelayFactor: 0',
    '        loginDelayMaxTime: 0',
    '    job-execution:',
    '      enabled: true',
    // The user the hub signs in as (its password goes by environment only); the engine creates it on start.
    ...(config.CAMUNDA7_USERNAME ? ['    admin-user:', `      id: ${JSON.stringify(config.CAMUNDA7_USERNAME)}`] : []),
    'hub:',
    '  rest:',
    '    # HTTP Basic on every REST request but GET /engine-rest/engine, when the hub has a user (CAMUNDA7_USERNAME).',
    `    auth: ${config.CAMUNDA7_USERNAME ? 'true' : 'false'}`,
    '  clock:',
    '    # Tests move the engine\'s clock at /engine-rest/hub-clock (STACK_CLOCK_CONTROL).',
    `    controlled: ${config.STACK_CLOCK_CONTROL ? 'true' : 'false'}`,
    '',
  ].join('\n');
}

async function compileMain(javaBin: string, dist: string): Promise<string> {
  const classes = path.join(dist, 'classes');
  if (fs.existsSync(path.join(classes, ...MAIN_CLASS.split('.')) + '.class')) return classes;
  // The javac beside the java that runs the engine (a `java` found on PATH is a link into its JDK).
  const onPath = javaBin.includes('/') ? javaBin : spawnSync('sh', ['-c', `command -v ${javaBin}`], { encoding: 'utf8' }).stdout.trim();
  const javac = path.join(path.dirname(fs.realpathSync(onPath || javaBin)), 'javac');
  if (!fs.existsSync(javac)) {
    throw new StackError('JDK_MISSING', `The Camunda 7 engine needs a JDK with javac (${javac} is missing): apt-get install openjdk-17-jdk-headless`);
  }
  const r = await runCommand(javac, ['-d', classes, '-cp', `${path.join(dist, 'libs')}/*`, MAIN_SOURCE]);
  if (r.status !== 0) throw new StackError('START_FAILED', `javac could not compile ${MAIN_SOURCE}:\n${r.stderr}`);
  return classes;
}

export function camunda7Spec(config: Config): JavaComponentSpec {
  const version = config.CAMUNDA7_VERSION;
  let classes = '';
  return {
    name: 'camunda7',
    version,
    minJava: CAMUNDA7_MIN_JAVA,
    heap: config.CAMUNDA7_HEAP,
    ports: { CAMUNDA7_PORT: config.CAMUNDA7_PORT },
    fetch: (ctx, jdk) => resolveDependencies(POM, { 'camunda.version': version }, distDir(ctx, version), ctx.say, async (scratch) => void (await compileMain(jdk.javaBin, scratch))),
    async prepare(ctx, jdk) {
      // A folder resolved before the class was compiled in it (an earlier layout) gets it here.
      classes = await compileMain(jdk.javaBin, distDir(ctx, version));
      fs.mkdirSync(home(ctx), { recursive: true });
      fs.writeFileSync(path.join(home(ctx), 'application.yaml'), camunda7ApplicationYaml(config));
    },
    args(ctx) {
      return [
        '-Dfile.encoding=UTF-8',
        '-classpath',
        `${classes}:${path.join(distDir(ctx, version), 'libs')}/*`,
        MAIN_CLASS,
        `--spring.config.location=file:${path.join(home(ctx), 'application.yaml')}`,
      ];
    },
    env() {
      return { SPRING_DATASOURCE_PASSWORD: parseDatabaseUrl(camunda7DatabaseUrl(config)).password, ...(config.CAMUNDA7_USERNAME ? { CAMUNDA_BPM_ADMINUSER_PASSWORD: config.CAMUNDA7_PASSWORD } : {}) };
    },
    healthy: () => camunda7Healthy(config.CAMUNDA7_PORT),
  };
}
