import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadConfig, projectRoot, settings } from '../infra/config.js';

interface Service {
  image?: string;
  build?: unknown;
  ports?: string[];
  environment?: Record<string, string>;
}
const compose = parse(fs.readFileSync(path.join(projectRoot, 'docker-compose.yml'), 'utf8')) as {
  services: Record<string, Service>;
};
const defaults = loadConfig({});
const hostPorts = (s: Service | undefined): number[] =>
  (s?.ports ?? []).map((p) => Number(p.split(':').at(-2)));

describe('docker-compose.yml', () => {
  it('has Zeebe, Kafka, MySQL 8, an SMTP catcher and the hub', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['hub', 'kafka', 'mysql', 'smtp', 'zeebe']);
    expect(compose.services.mysql?.image).toMatch(/^mysql:8(\.\d+)*$/);
    expect(compose.services.hub?.build).toBeDefined();
  });

  it('names the same Zeebe and Kafka versions as the stack command', () => {
    expect(compose.services.zeebe?.image).toBe(`camunda/zeebe:${defaults.ZEEBE_VERSION}`);
    expect(compose.services.kafka?.image).toBe(`apache/kafka:${defaults.KAFKA_VERSION}`);
  });

  it('publishes the same ports as the stack command, on loopback only', () => {
    expect(hostPorts(compose.services.zeebe)).toContain(defaults.ZEEBE_GATEWAY_PORT);
    expect(hostPorts(compose.services.zeebe)).toContain(defaults.ZEEBE_MONITORING_PORT);
    expect(hostPorts(compose.services.kafka)).toContain(defaults.KAFKA_PORT);
    expect(hostPorts(compose.services.mysql)).toContain(new URL(defaults.DATABASE_URL).port ? Number(new URL(defaults.DATABASE_URL).port) : 3306);
    for (const s of Object.values(compose.services)) for (const p of s.ports ?? []) expect(p).toMatch(/^127\.0\.0\.1:/);
  });

  it('gives the hub only settings the hub declares', () => {
    for (const name of Object.keys(compose.services.hub?.environment ?? {})) expect(Object.keys(settings)).toContain(name);
  });
});
