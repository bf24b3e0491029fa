/**
 * The operator's command line when the database is not there: a sentence that names the setting
 * and the way out, exit 1, not the driver's stack trace. Real MariaDB; nothing else running.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../infra/config.js';
import { freePort } from '../support/harness.js';

const hub = (env: Record<string, string>, ...args: string[]): Promise<{ code: number | null; stderr: string }> =>
  new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', path.join(projectRoot, 'hub/cli.ts'), ...args], { cwd: projectRoot, env: { ...process.env, ...env }, encoding: 'utf8', timeout: 60_000 }, (err, _stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : null) : 0, stderr });
    });
  });

describe('hub commands without their database', () => {
  it('say which database is missing and how to make it', async () => {
    const url = new URL(process.env.DATABASE_URL!);
    url.pathname = '/hotline_hub_no_such_database';
    const r = await hub({ DATABASE_URL: url.toString() }, 'trace', 'GD20261205000001');
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe('the database hotline_hub_no_such_database does not exist: `npm start` (or `npm run stack -- up`) creates it, or set DATABASE_URL to the hub\'s');
  });

  it('say that no MySQL answers where DATABASE_URL points', async () => {
    const r = await hub({ DATABASE_URL: `mysql://root@127.0.0.1:${await freePort()}/hotline_hub` }, 'outbox', 'status');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('no MySQL answers at DATABASE_URL (ECONNREFUSED)');
  });
});
