/**
 * `npm run docs:screenshots`: copies the screenshots the browser tests keep (test/console/artifacts/,
 * after `npx vitest run --project int test/console`) to docs/console/, one per role, the ones
 * README.md shows. Each passed axe-core's check when it was taken (test/support/browser.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../../infra/config.js';

export const ROLE_SCREENS = {
  'call-taker': 'day-1-repeat',
  dispatcher: 'day-2-redispatch',
  unit: 'day-3-district',
  supervisor: 'day-4-review',
  'callback-agent': 'day-4-callback',
  operator: 'order-page',
  'process-owner': 'rules-checked',
} as const;

const from = path.join(projectRoot, 'test/console/artifacts');
const to = path.join(projectRoot, 'docs/console');
fs.mkdirSync(to, { recursive: true });
const missing = Object.values(ROLE_SCREENS).filter((s) => !fs.existsSync(path.join(from, `${s}.png`)));
if (missing.length > 0) {
  console.error(`no screenshot ${missing.join(', ')} in ${from}: run npx vitest run --project int test/console first`);
  process.exit(1);
}
for (const [role, screen] of Object.entries(ROLE_SCREENS)) fs.copyFileSync(path.join(from, `${screen}.png`), path.join(to, `${role}.png`));
console.log(`copied ${Object.keys(ROLE_SCREENS).length} screenshots to ${to}`);
