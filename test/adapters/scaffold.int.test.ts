/**
 * `npm run new-adapter` end to end: the scaffold makes an adapter that type-checks, passes lint,
 * and passes its own mapper and contract tests on the real stack (run as an integrator would run
 * them, in a child vitest). The folder is removed afterwards.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../infra/config.js';

const name = `scaffold-test-${randomBytes(3).toString('hex')}`;
const dir = path.join(projectRoot, 'adapters', name);
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/**
 * Runs a node command to its end. Not spawnSync: the child vitest run alone can take a minute on a
 * busy machine, and a worker blocked that long misses its own calls to vitest ("Timeout calling
 * onTaskUpdate", reported as unhandled errors of the run).
 */
const run = (args: string[], env: Record<string, string> = {}): Promise<{ status: number | null; stdout: string; stderr: string }> =>
  new Promise((resolve) => {
    execFile(process.execPath, args, { cwd: projectRoot, env: { ...process.env, ...env }, encoding: 'utf8', timeout: 300_000, maxBuffer: 64 << 20 }, (err, stdout, stderr) =>
      resolve({ status: err ? (typeof err.code === 'number' ? err.code : null) : 0, stdout, stderr }),
    );
  });
const bin = (pkg: string, file: string): string => path.join(projectRoot, 'node_modules', pkg, file);

describe('npm run new-adapter', () => {
  it('makes a working adapter with its contract test', { timeout: 600_000 }, async () => {
    const made = await run(['--import', 'tsx', 'hub/new-adapter.ts', name, '--unit', 'heating-group', '--category', 'heating', '--title', '脚手架测试供热热线']);
    expect(made.status, made.stderr).toBe(0);
    expect(fs.readdirSync(dir).sort()).toEqual(['contract.int.test.ts', 'index.ts', 'mappers.ts', 'mappers.unit.test.ts', 'protocol.ts', 'settings.ts', 'simulator.ts', 'transport.ts']);
    expect((await run(['--import', 'tsx', 'hub/new-adapter.ts', name])).status, 'an adapter that exists is not overwritten').toBe(2);

    // The new adapter and what it imports, with the project's compiler settings (the whole
    // project was checked before the tests ran).
    fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({ extends: '../../tsconfig.json', include: ['./**/*.ts', '../../**/*.d.ts'], exclude: ['../../node_modules'] }));
    const tsc = await run([bin('typescript', 'bin/tsc'), '-p', path.join(dir, 'tsconfig.json')]);
    expect(tsc.status, tsc.stdout).toBe(0);
    const lint = await run([bin('eslint', 'bin/eslint.js'), `adapters/${name}`]);
    expect(lint.status, lint.stdout).toBe(0);
    const listed = await run(['--import', 'tsx', 'hub/cli.ts', 'adapters']);
    expect(listed.stdout).toContain(name);

    const tests = await run([bin('vitest', 'vitest.mjs'), 'run', `adapters/${name}`], { SCAFFOLD_TEST: '1', NO_COLOR: '1', FORCE_COLOR: '0' });
    expect(tests.status, tests.stdout.slice(-3000) + tests.stderr.slice(-2000)).toBe(0);
    expect(tests.stdout).toMatch(/Tests\s+11 passed/);
  });

  it('refuses a name that is not one', async () => {
    for (const bad of ['Water', 'kit', 'a_b', '../x']) expect((await run(['--import', 'tsx', 'hub/new-adapter.ts', bad])).status, bad).toBe(2);
  });
});
