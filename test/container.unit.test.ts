/**
 * The container, where no Docker engine is at hand to build it (this machine has none): the
 * Dockerfile's rules read from the file, the way a Dockerfile linter reads them. It builds the
 * compiled JavaScript in a stage of its own and runs it with node, not tsx; installs only the
 * production dependencies; runs as a non-root user; has a HEALTHCHECK on /readyz; runs in
 * production mode (LOCAL_STACK=false); copies what the hub reads at run time; pins its base image.
 * Compose waits for a healthy Kafka and wires Mailpit through SMTP_URL. That the compiled hub
 * starts: test/hub/compiled.int.test.ts.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { projectRoot } from '../infra/config.js';

const lines = fs
  .readFileSync(path.join(projectRoot, 'Dockerfile'), 'utf8')
  .split('\n')
  .filter((l) => l.trim() && !l.trim().startsWith('#'));
const stages = lines.reduce<string[][]>((acc, l) => (/^FROM /i.test(l) ? [...acc, [l]] : (acc.at(-1)!.push(l), acc)), []);
const runtime = stages.at(-1)!;
const instr = (stage: string[], name: string) => stage.filter((l) => l.toUpperCase().startsWith(`${name} `));

describe('Dockerfile', () => {
  it('builds in a stage of its own and runs the compiled JavaScript with node', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    expect(stages[0]!.join('\n')).toMatch(/RUN npm run build/);
    expect(instr(runtime, 'COPY').some((l) => /--from=build \/app\/dist/.test(l))).toBe(true);
    expect(instr(runtime, 'CMD')).toEqual(['CMD ["node", "dist/hub/cli.js", "start"]']);
    expect(runtime.join('\n')).not.toMatch(/tsx/);
    expect(instr(runtime, 'RUN').join('\n')).toMatch(/npm ci --omit=dev/);
  });

  it('runs as a user that is not root, with a health check on /readyz, in production mode', () => {
    const user = instr(runtime, 'USER');
    expect(user).toHaveLength(1);
    expect(user[0]).not.toMatch(/\broot\b|\b0\b/);
    expect(runtime.findIndex((l) => l.startsWith('USER'))).toBeGreaterThan(runtime.findLastIndex((l) => l.startsWith('RUN')));
    expect(instr(runtime, 'HEALTHCHECK').join('')).toMatch(/\/readyz/);
    expect(instr(runtime, 'ENV').join(' ')).toMatch(/LOCAL_STACK=false/);
  });

  it('copies what the hub reads at run time, and pins its base images', () => {
    const copied = instr(runtime, 'COPY').join('\n');
    for (const dir of ['bpmn', 'config', 'console', 'gateway/api-docs', '.bpmnlintrc']) expect(copied, dir).toContain(dir);
    for (const s of stages) expect(s[0]).toMatch(/^FROM node:20-bookworm-slim( AS \w+)?$/);
  });
});

describe('docker-compose.yml for the container', () => {
  const compose = parse(fs.readFileSync(path.join(projectRoot, 'docker-compose.yml'), 'utf8')) as { services: Record<string, { environment?: Record<string, string>; healthcheck?: unknown; depends_on?: Record<string, { condition: string }> }> };
  it('starts the hub in production mode once Kafka, Zeebe and MySQL are healthy, its mail going to Mailpit', () => {
    const hub = compose.services.hub!;
    expect(hub.environment).toMatchObject({ LOCAL_STACK: 'false', SMTP_URL: 'smtp://smtp:1025' });
    expect(compose.services.kafka!.healthcheck).toBeDefined();
    for (const s of ['kafka', 'zeebe', 'mysql']) expect(hub.depends_on![s]!.condition, s).toBe('service_healthy');
  });
});
