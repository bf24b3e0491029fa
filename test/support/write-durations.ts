/**
 * `npm run test:durations`: writes test/durations.json (what test/support/sequencer.ts orders a
 * fresh clone's files by) from vitest's record of the last runs on this checkout. Run it after a
 * full `npm test` that passed, on the machine the suite's times in docs/testing.md are for.
 */
import fs from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../../infra/config.js';
import { DURATIONS_FILE } from './sequencer.js';

const cacheRoot = path.join(projectRoot, 'node_modules', '.vite', 'vitest');
const found = fs.existsSync(cacheRoot) ? fs.readdirSync(cacheRoot).map((d) => path.join(cacheRoot, d, 'results.json')).filter((f) => fs.existsSync(f)) : [];
if (found.length === 0) {
  console.error(`no vitest results under ${cacheRoot}: run npm test first`);
  process.exit(1);
}
const seconds: Record<string, number> = {};
for (const file of found) {
  const { results } = JSON.parse(fs.readFileSync(file, 'utf8')) as { results: Array<[string, { duration: number; failed: boolean }]> };
  for (const [key, r] of results) {
    const [, file] = key.split(':');
    if (!r.failed && file && fs.existsSync(path.join(projectRoot, file))) seconds[key] = Math.max(0.1, Math.round(r.duration / 100) / 10);
  }
}
const sorted = Object.fromEntries(Object.entries(seconds).sort(([a], [b]) => a.localeCompare(b)));
fs.writeFileSync(DURATIONS_FILE, `${JSON.stringify(sorted, null, 2)}\n`);
console.log(`${DURATIONS_FILE}: ${Object.keys(sorted).length} files`);
