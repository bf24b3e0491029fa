import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { camunda7Api, ConfigError, configTableMarkdown, kafkaBrokers, loadConfig, maskUrlPassword, projectRoot, settings, zeebeAddress } from '../../infra/config.js';
import { configProblems } from '../support/config.js';

describe('configuration', () => {
  it('parses the documented defaults when nothing is set', () => {
    const c = loadConfig({});
    expect(c.ZEEBE_VERSION).toBe(settings.ZEEBE_VERSION.default);
    expect(c.ZEEBE_GATEWAY_PORT).toBe(26500);
    expect(c.KAFKA_PORT).toBe(9092);
    expect(zeebeAddress(c)).toBe('127.0.0.1:26500');
    expect(kafkaBrokers(c)).toEqual(['127.0.0.1:9092']);
  });

  it('makes no demo keys unless asked: a first start in production prints no key', () => {
    expect(loadConfig({}).DEMO_KEYS).toBe(false);
    expect(loadConfig({ DEMO_KEYS: 'true' }).DEMO_KEYS).toBe(true);
  });

  it('shows the console in Beijing time unless the centre names another IANA time zone, and refuses one that is not', () => {
    expect(loadConfig({}).CENTRE_TIME_ZONE).toBe('Asia/Shanghai');
    expect(loadConfig({ CENTRE_TIME_ZONE: 'Asia/Urumqi' }).CENTRE_TIME_ZONE).toBe('Asia/Urumqi');
    expect(() => loadConfig({ CENTRE_TIME_ZONE: 'Beijing' })).toThrow(/CENTRE_TIME_ZONE.*not an IANA time zone/);
    expect(() => loadConfig({ CENTRE_TIME_ZONE: '+08:00' })).toThrow(/not an IANA time zone/);
  });

  it('signs in to Camunda 7 with both a user and a password, or not at all, and never prints the password', () => {
    expect(camunda7Api(loadConfig({})).headers).toEqual({});
    expect(camunda7Api(loadConfig({ CAMUNDA7_USERNAME: 'hub', CAMUNDA7_PASSWORD: 'pa:ss' })).headers).toEqual({ authorization: `Basic ${Buffer.from('hub:pa:ss').toString('base64')}` });
    expect(() => loadConfig({ CAMUNDA7_USERNAME: 'hub' })).toThrow('CAMUNDA7_USERNAME and CAMUNDA7_PASSWORD: set both, or neither');
    expect(() => loadConfig({ CAMUNDA7_PASSWORD: 'secret-value' })).toThrow(/set both, or neither/);
    expect(() => loadConfig({ CAMUNDA7_USERNAME: 'hub', CAMUNDA7_PASSWORD: 'x'.repeat(501) })).toThrow(/CAMUNDA7_PASSWORD=\(hidden\)/);
  });

  it('never prints a password in a configuration error: a URL\'s is masked, a secret hidden whole', () => {
    const problems = configProblems;
    const bad = problems({ DATABASE_URL: 'mysql://hub:Tr0ub4dor@db.internal:3306', SMTP_URL: 'smtp:/mailer:S3cretMail@mx', SMS_KEY: 'k'.repeat(201) });
    expect(bad).toContain('DATABASE_URL="mysql://hub:***@db.internal:3306"');
    expect(bad).toContain('SMTP_URL="smtp:/mailer:***@mx"');
    expect(bad).not.toMatch(/Tr0ub4dor|S3cretMail/);
    expect(bad).toContain('SMS_KEY=(hidden)');
    expect(maskUrlPassword('smtps://mailer:p%40ss@mx.example:465')).toBe('smtps://mailer:***@mx.example:465');
    expect(maskUrlPassword('mysql://root@127.0.0.1:3306/hotline_hub')).toBe('mysql://root@127.0.0.1:3306/hotline_hub');
    expect(maskUrlPassword('mysql://hub:a:b@c@db/x')).toBe('mysql://hub:***@db/x');
  });

  it('reads a secret from NAME_FILE (a container secret), refuses it beside NAME, and names a file it cannot read', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hub-secrets-'));
    try {
      fs.writeFileSync(path.join(dir, 'db'), 'mysql://hub:from-a-file@db.internal:3306/hotline_hub\n');
      fs.writeFileSync(path.join(dir, 'c7'), 'engine pass');
      const c = loadConfig({ DATABASE_URL_FILE: path.join(dir, 'db'), CAMUNDA7_USERNAME: 'hub', CAMUNDA7_PASSWORD_FILE: path.join(dir, 'c7') });
      expect(c.DATABASE_URL).toBe('mysql://hub:from-a-file@db.internal:3306/hotline_hub');
      expect(c.CAMUNDA7_PASSWORD).toBe('engine pass');
      expect(() => loadConfig({ SMS_KEY: 'a', SMS_KEY_FILE: path.join(dir, 'c7') })).toThrow('SMS_KEY and SMS_KEY_FILE: set one of them, not both');
      expect(() => loadConfig({ KAFKA_SASL_PASSWORD_FILE: path.join(dir, 'missing') })).toThrow(/KAFKA_SASL_PASSWORD_FILE=".*missing": cannot be read \(ENOENT\)/);
      // Not a secret: no _FILE variant.
      expect(loadConfig({ HUB_ENGINE_FILE: path.join(dir, 'c7') }).HUB_ENGINE).toBe('zeebe');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('uses an external Zeebe and Kafka when their addresses are set', () => {
    const c = loadConfig({ ZEEBE_ADDRESS: 'zeebe:26500', KAFKA_BROKERS: 'k1:9092,k2:9092' });
    expect(zeebeAddress(c)).toBe('zeebe:26500');
    expect(kafkaBrokers(c)).toEqual(['k1:9092', 'k2:9092']);
  });

  it('stops with every wrong variable named, and its value, in one error', () => {
    let err: unknown;
    try {
      loadConfig({ ZEEBE_GATEWAY_PORT: 'abc', KAFKA_HEAP: '2 gigs', DATABASE_URL: 'postgres://x/y' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const message = (err as ConfigError).message;
    expect(message).toContain('ZEEBE_GATEWAY_PORT="abc"');
    expect(message).toContain('KAFKA_HEAP="2 gigs"');
    expect(message).toContain('DATABASE_URL="postgres://x/y"');
    expect((err as ConfigError).problems).toHaveLength(3);
  });

  it('rejects a port out of range and a version that is not x.y.z', () => {
    expect(() => loadConfig({ KAFKA_PORT: '70000' })).toThrow(/KAFKA_PORT/);
    expect(() => loadConfig({ ZEEBE_VERSION: 'latest' })).toThrow(/ZEEBE_VERSION/);
  });

  it('docs/configuration.md carries the configuration table generated from the declarations (npm run config:doc)', () => {
    const doc = fs.readFileSync(path.join(projectRoot, 'docs', 'configuration.md'), 'utf8');
    expect(doc).toContain(configTableMarkdown());
  });

  it('reads TLS, socket and a hyphenated name from DATABASE_URL, and refuses what it does not know', async () => {
    const { parseMysqlUrl } = await import('../../infra/db/mysql-url.js');
    const pem = path.join(os.tmpdir(), `ca-${process.pid}.pem`);
    fs.writeFileSync(pem, '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
    try {
      expect(parseMysqlUrl(loadConfig({ DATABASE_URL: 'mysql://hub:p%40ss@db.internal:3307/tianjin-12345?ssl=true' }).DATABASE_URL)).toEqual({ host: 'db.internal', port: 3307, user: 'hub', password: 'p@ss', database: 'tianjin-12345', ssl: { rejectUnauthorized: true } });
      expect(parseMysqlUrl(`mysql://hub@db/hub?ssl-ca=${pem}`).ssl).toEqual({ ca: fs.readFileSync(pem, 'utf8'), rejectUnauthorized: true });
      expect(parseMysqlUrl('mysql://hub@localhost/hub?socket=/run/mysqld/mysqld.sock')).toMatchObject({ socketPath: '/run/mysqld/mysqld.sock' });
      expect(parseMysqlUrl('mysql://hub@db/hub?ssl-verify=false').ssl).toEqual({ rejectUnauthorized: false });
      expect(parseMysqlUrl('mysql://hub@db/hub').ssl).toBeUndefined();
    } finally {
      fs.rmSync(pem, { force: true });
    }
    for (const [url, said] of [
      ['mysql://hub@db/hub?sslmode=require', 'unknown parameter sslmode'],
      ['mysql://hub@db/hub?ssl=yes', 'ssl=true or ssl=false'],
      ['mysql://hub@db/hub?ssl-ca=/nowhere.pem', 'no such file'],
      ['mysql://hub@db/hub;drop', 'the database name'],
      ['postgres://db/hub', 'mysql://'],
    ] as const) {
      expect(() => loadConfig({ DATABASE_URL: url }), url).toThrow(said);
    }
    expect(loadConfig({ DATABASE_POOL_SIZE: '50' }).DATABASE_POOL_SIZE).toBe(50);
  });

  it('in production (LOCAL_STACK=false) wants the services named instead of starting local ones', () => {
    expect(() => loadConfig({ LOCAL_STACK: 'false' })).toThrow(/ZEEBE_ADDRESS: required with LOCAL_STACK=false[\s\S]*KAFKA_BROKERS: required/);
    expect(() => loadConfig({ LOCAL_STACK: 'false', HUB_ENGINE: 'camunda7', KAFKA_BROKERS: 'kafka:9092' })).toThrow(/CAMUNDA7_REST_URL: required/);
    expect(loadConfig({ LOCAL_STACK: 'false', ZEEBE_ADDRESS: 'zeebe:26500', KAFKA_BROKERS: 'kafka:9092' }).LOCAL_STACK).toBe(false);
    expect(loadConfig({}).LOCAL_STACK).toBe(true);
  });
});
