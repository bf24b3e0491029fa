/**
 * The `hub` command as a script or an operator meets it, without a stack: a usage error is one
 * line pointing at the help and exit code 2 (a stack trace and 1 before), a refusal of what it was
 * asked 1, --help and --version 0; verbs answer --json.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../infra/config.js';

const hub = (...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> =>
  new Promise((resolve) => {
    execFile(path.join(projectRoot, 'node_modules/.bin/tsx'), [path.join(projectRoot, 'hub/cli.ts'), ...args], { cwd: projectRoot, timeout: 50_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? -1) : 0, stdout, stderr });
    });
  });

describe('the hub command', () => {
  it('says a usage error in one line and exits 2; --version and --help exit 0', { timeout: 60_000 }, async () => {
    const [version, help, unknown, badArg, badValue, noVerb] = await Promise.all([hub('--version'), hub('--help'), hub('statuss'), hub('stack', 'logs', 'bogus'), hub('stack', 'logs', '-n', 'x'), hub()]);
    const { version: v } = JSON.parse(fs.readFileSync(path.join(projectRoot, 'package.json'), 'utf8')) as { version: string };
    expect(version).toMatchObject({ code: 0, stdout: `${v}\n` });
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: hub');
    for (const r of [unknown, badArg, badValue]) {
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr.trim().split('\n'), r.stderr).toHaveLength(1);
      expect(r.stderr).toMatch(/\(hub --help\)$/m);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
    expect(unknown.stderr).toContain("unknown command 'statuss'");
    expect(badArg.stderr.trim()).toBe('hub: unknown component "bogus": zeebe, camunda7, kafka, zeebe-1, zeebe-2, zeebe-3, zeebe-gateway, kafka-1, kafka-2, kafka-3 (hub --help)');
    expect(noVerb.code).toBe(2);
  });

  it('answers --json on every verb that reports, a script reading it: the stack\'s status and the adapters here', { timeout: 60_000 }, async () => {
    // Every verb but those that only run, stream or print a document (start, stack fetch and logs, config), and the groups.
    const source = fs.readFileSync(path.join(projectRoot, 'hub/cli.ts'), 'utf8');
    const starts = [...source.matchAll(/\.command\('([a-z-]+)'/g)].map((m) => ({ verb: m[1]!, at: m.index! }));
    const without = starts.filter((c, i) => !source.slice(c.at, starts[i + 1]?.at ?? source.length).includes("'--json'")).map((c) => c.verb);
    expect(without.sort()).toEqual(['config', 'dead-letters', 'fetch', 'keys', 'logs', 'outbox', 'stack', 'start'].sort());
    const [r, adapters] = await Promise.all([hub('stack', 'status', '--json'), hub('adapters', '--json')]);
    expect((JSON.parse(adapters.stdout) as Array<{ name: string }>).map((a) => a.name)).toEqual(expect.arrayContaining(['unit-system', 'digital-city', 'emergency-linkage']));
    expect(r.code, r.stderr).toBe(0);
    const rows = JSON.parse(r.stdout) as Array<{ component: string; health: string }>;
    expect(rows.map((x) => x.component)).toEqual(expect.arrayContaining(['zeebe', 'kafka']));
    expect(rows.every((x) => typeof x.health === 'string')).toBe(true);
  });
});
