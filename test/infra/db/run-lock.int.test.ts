/**
 * One integration run at a time on a MySQL server (test/global-setup.ts holds the lock for the
 * run): a second run — another checkout, a fresh clone being measured — is refused before it drops
 * a test database this one is using, as it once did (see docs/testing.md).
 */
import { describe, expect, it } from 'vitest';
import { holdRunLock } from '../../support/test-databases.js';

describe('the integration run\'s lock', () => {
  it('refuses a second run on this server while this one holds it', async () => {
    const url = process.env.DATABASE_URL!;
    const template = new URL(url).pathname.slice(1).replace(/_f\d+$/, '');
    await expect(holdRunLock(url, template)).rejects.toThrow(/another integration run on this MySQL server holds hub_test_run:/);
  });
});
