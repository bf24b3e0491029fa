import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { camunda7Api, ConfigError, configTableMarkdown, kafkaBrokers, loadConfig, projectRoot, settings, zeebeAddress } from '../../infra/config.js';

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

  it('signs in to Camunda 7 with both a user and a password, or not at all, and never prints the password', () => {
    expect(camunda7Api(loadConfig({})).headers).toEqual({});
    expect(camunda7Api(loadConfig({ CAMUNDA7_USERNAME: 'hub', CAMUNDA7_PASSWORD: 'pa:ss' })).headers).toEqual({ authorization: `Basic ${Buffer.from('hub:pa:ss').toString('base64')}` });
    expect(() => loadConfig({ CAMUNDA7_USERNAME: 'hub' })).toThrow('CAMUNDA7_USERNAME and CAMUNDA7_PASSWORD: set both, or neither');
    expect(() => loadConfig({ CAMUNDA7_PASSWORD: 'secret-value' })).toThrow(/set both, or neither/);
    expect(() => loadConfig({ CAMUNDA7_USERNAME: 'hub', CAMUNDA7_PASSWORD: 'x'.repeat(501) })).toThrow(/CAMUNDA7_PASSWORD=\(hidden\)/);
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
});
