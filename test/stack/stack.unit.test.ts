import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { camunda7RestUrl, loadConfig } from '../../infra/config.js';
import { findJdk, parseJavaMajor } from '../../stack/java.js';
import { kafkaClusterId, kafkaServerProperties } from '../../stack/kafka.js';
import { brokerMainClass } from '../../stack/zeebe.js';
import { camunda7ApplicationYaml, camunda7DatabaseUrl, camunda7Spec } from '../../stack/camunda7.js';
import { parseDatabaseUrl, describeTarget } from '../../stack/mysql.js';
import { isOurs, stopProcess, type ProcessRecord } from '../../stack/process.js';
import { isResolved, resolveOnce } from '../../stack/maven.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hub-stack-unit-'));
const children: number[] = [];
afterEach(async () => {
  for (const pid of children.splice(0)) await stopProcess(pid, 2000);
});

/** A fake JDK: bin/java prints a `java -version` banner to stderr. */
function fakeJdk(root: string, dir: string, banner: string): void {
  const bin = path.join(root, dir, 'bin');
  fs.mkdirSync(bin, { recursive: true });
  fs.writeFileSync(path.join(bin, 'java'), `#!/bin/sh\necho '${banner}' >&2\n`, { mode: 0o755 });
}

describe('JDK selection', () => {
  it('reads the major version from the banners of old and new JDKs', () => {
    expect(parseJavaMajor('openjdk version "17.0.15" 2025-04-15')).toBe(17);
    expect(parseJavaMajor('java version "1.8.0_392"')).toBe(8);
    expect(parseJavaMajor('openjdk version "25" 2025-09-16')).toBe(25);
    expect(parseJavaMajor('no banner')).toBeUndefined();
  });

  it('takes JAVA_HOME when it is new enough', () => {
    const root = path.join(tmp, 'jvm-a');
    fakeJdk(root, 'jdk21', 'openjdk version "21.0.2" 2024-01-16');
    const jdk = findJdk(21, { JAVA_HOME: path.join(root, 'jdk21'), PATH: '' }, root);
    expect(jdk).toMatchObject({ major: 21, source: 'JAVA_HOME' });
  });

  it('passes over a too-old JAVA_HOME and picks the newest JDK under the JVM folder', () => {
    const root = path.join(tmp, 'jvm-b');
    fakeJdk(root, 'jdk17', 'openjdk version "17.0.15" 2025-04-15');
    fakeJdk(root, 'jdk25', 'openjdk version "25.0.3" 2026-04-21 LTS');
    fakeJdk(root, 'jdk21', 'openjdk version "21.0.2" 2024-01-16');
    const jdk = findJdk(21, { JAVA_HOME: path.join(root, 'jdk17'), PATH: '' }, root);
    expect(jdk.javaBin).toBe(path.join(root, 'jdk25', 'bin', 'java'));
    expect(jdk.major).toBe(25);
  });

  it('says what it looked at and what to install when no JDK is new enough', () => {
    const root = path.join(tmp, 'jvm-c');
    fakeJdk(root, 'jdk8', 'java version "1.8.0_392"');
    expect(() => findJdk(99, { PATH: '' }, root)).toThrow(/No JDK 99 or newer found.*jdk8.*JAVA_HOME/s);
  });
});

describe('process records', () => {
  it('recognises our process by its marker and never a process that only shares the pid', async () => {
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)', '--', '-Dhotline.hub.stack=unit'], {
      stdio: 'ignore',
    });
    children.push(child.pid!);
    await new Promise((r) => setTimeout(r, 200));
    const record: ProcessRecord = {
      component: 'unit',
      pid: child.pid!,
      version: '1',
      ports: {},
      log: '',
      java: '',
      startedAt: '',
      marker: '-Dhotline.hub.stack=unit',
    };
    expect(isOurs(record)).toBe(true);
    expect(isOurs({ ...record, marker: '-Dhotline.hub.stack=other' })).toBe(false);
    expect(await stopProcess(child.pid!, 2000)).toBe('stopped');
    expect(isOurs(record)).toBe(false);
  });
});

describe('Kafka single-node settings', () => {
  it('listens on loopback only, on the configured ports, with replication factors of 1', () => {
    const props = kafkaServerProperties(loadConfig({ KAFKA_PORT: '19092', KAFKA_CONTROLLER_PORT: '19093' }), '/data');
    expect(props).toContain('listeners=PLAINTEXT://127.0.0.1:19092,CONTROLLER://127.0.0.1:19093');
    expect(props).toContain('controller.quorum.voters=1@127.0.0.1:19093');
    expect(props).toContain('offsets.topic.replication.factor=1');
    expect(props).toContain('transaction.state.log.min.isr=1');
    expect(props).not.toMatch(/0\.0\.0\.0/);
  });

  it('never gives the storage tool a cluster id it would read as an option (one starting with "-")', () => {
    // 0xfb… encodes to "-…" in base64url: drawn first here, it is drawn again.
    const draws = [Buffer.alloc(16, 0xfb), Buffer.alloc(16, 0x41)];
    const id = kafkaClusterId(() => draws.shift()!);
    expect(id).toBe(Buffer.alloc(16, 0x41).toString('base64url'));
    expect(id).toMatch(/^[A-Za-z0-9_][A-Za-z0-9_-]{21}$/);
    for (let i = 0; i < 500; i++) expect(kafkaClusterId().startsWith('-')).toBe(false);
  });
});

describe('DATABASE_URL', () => {
  it('is split into its parts, and a password never shows in messages', () => {
    const t = parseDatabaseUrl('mysql://hub:s%40cret@db.local:3307/hotline_hub');
    expect(t).toEqual({ host: 'db.local', port: 3307, user: 'hub', password: 's@cret', database: 'hotline_hub' });
    expect(describeTarget(t)).toBe('mysql://hub@db.local:3307/hotline_hub');
  });
});

describe('Zeebe distribution', () => {
  it('finds the broker main class in the start scripts of 8.5 and 8.6', () => {
    const script = (main: string): string =>
      `exec "$JAVACMD" $JAVA_OPTS -XX:+ExitOnOutOfMemoryError \\\n  -Dbasedir="$BASEDIR" \\\n  ${main} \\\n  "$@"\n`;
    expect(brokerMainClass(script('io.camunda.zeebe.broker.StandaloneBroker'))).toBe('io.camunda.zeebe.broker.StandaloneBroker');
    expect(brokerMainClass(script('io.camunda.application.StandaloneBroker'))).toBe('io.camunda.application.StandaloneBroker');
    expect(() => brokerMainClass('#!/bin/sh\nexit 1\n')).toThrow(/No main class/);
  });
});

describe('Camunda 7 engine settings', () => {
  it('keeps the engine in a database of its own beside the hub\'s, on loopback, and never writes the password to a file', () => {
    const config = loadConfig({ DATABASE_URL: 'mysql://hub:s3cret@db.internal:3307/hotline_hub', CAMUNDA7_PORT: '8091' });
    expect(camunda7DatabaseUrl(config)).toBe('mysql://hub:s3cret@db.internal:3307/hotline_hub_camunda');
    expect(camunda7DatabaseUrl(loadConfig({ CAMUNDA7_DATABASE: 'engine' }))).toMatch(/\/engine$/);
    const yaml = camunda7ApplicationYaml(config);
    expect(yaml).toContain('address: 127.0.0.1');
    expect(yaml).toContain('port: 8091');
    expect(yaml).toContain('jdbc:mysql://db.internal:3307/hotline_hub_camunda?nullCatalogMeansCurrent=true');
    expect(yaml).toContain('transaction-isolation: TRANSACTION_READ_COMMITTED');
    expect(yaml).not.toContain('s3cret');
    expect(camunda7RestUrl(config)).toBe('http://127.0.0.1:8091/engine-rest');
    expect(yaml).toContain('auth: false');
  });

  it("starts the Camunda 7 engine with the hub's user and its REST API signed in, the password by environment only", () => {
    const config = loadConfig({ CAMUNDA7_USERNAME: 'hub', CAMUNDA7_PASSWORD: 'engine-s3cret' });
    const yaml = camunda7ApplicationYaml(config);
    expect(yaml).toContain('admin-user:\n      id: "hub"');
    expect(yaml).toContain('auth: true');
    expect(yaml).not.toContain('engine-s3cret');
    expect(camunda7Spec(config).env({} as never)).toMatchObject({ CAMUNDA_BPM_ADMINUSER_PASSWORD: 'engine-s3cret' });
  });
});

describe('resolving a component into the shared distribution folder', () => {
  const entries = (dir: string): string[] => fs.readdirSync(dir).sort();

  it('fills a folder once: a second stack asking meanwhile waits for the same resolution', async () => {
    const root = fs.mkdtempSync(path.join(tmp, 'dist-'));
    const dir = path.join(root, 'engine-1.0');
    let fills = 0;
    const fill = async (scratch: string): Promise<void> => {
      fills += 1;
      await new Promise((r) => setTimeout(r, 20));
      fs.writeFileSync(path.join(scratch, 'engine.jar'), 'jar');
    };
    await Promise.all([resolveOnce(dir, 'engine 1.0', fill), resolveOnce(dir, 'engine 1.0', fill)]);
    expect(fills).toBe(1);
    expect(isResolved(dir)).toBe(true);
    expect(fs.readFileSync(path.join(dir, 'engine.jar'), 'utf8')).toBe('jar');
    await resolveOnce(dir, 'engine 1.0', fill);
    expect(fills, 'a complete folder is not resolved again').toBe(1);
    expect(entries(root), 'no scratch folder is left').toEqual(['engine-1.0']);
  });

  it('leaves nothing half-done when a resolution fails, and the next one starts afresh', async () => {
    const root = fs.mkdtempSync(path.join(tmp, 'dist-'));
    const dir = path.join(root, 'engine-1.0');
    const broken = resolveOnce(dir, 'engine 1.0', async (scratch) => {
      fs.writeFileSync(path.join(scratch, 'half.jar'), 'half');
      throw new Error('connection reset');
    });
    await expect(broken).rejects.toThrow('connection reset');
    expect(entries(root)).toEqual([]);
    await resolveOnce(dir, 'engine 1.0', async (scratch) => fs.writeFileSync(path.join(scratch, 'engine.jar'), 'jar'));
    expect(entries(dir)).toEqual(['.resolved', 'engine.jar']);
  });

  it('replaces an interrupted folder of an earlier run, and keeps the copy another process finished first', async () => {
    const root = fs.mkdtempSync(path.join(tmp, 'dist-'));
    const dir = path.join(root, 'engine-1.0');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'half.jar'), 'half'); // no marker: interrupted
    await resolveOnce(dir, 'engine 1.0', async (scratch) => fs.writeFileSync(path.join(scratch, 'engine.jar'), 'mine'));
    expect(entries(dir)).toEqual(['.resolved', 'engine.jar']);

    const other = path.join(root, 'engine-2.0');
    await resolveOnce(other, 'engine 2.0', async (scratch) => {
      // Another process completes the same folder while this one downloads.
      fs.mkdirSync(other);
      fs.writeFileSync(path.join(other, 'engine.jar'), 'theirs');
      fs.writeFileSync(path.join(other, '.resolved'), 'engine 2.0\n');
      fs.writeFileSync(path.join(scratch, 'engine.jar'), 'mine');
    });
    expect(fs.readFileSync(path.join(other, 'engine.jar'), 'utf8')).toBe('theirs');
    expect(entries(root)).toEqual(['engine-1.0', 'engine-2.0']);
  });
});
