/**
 * The order test files start in: longest first, so that the lanes end together instead of one
 * lane starting the fault tests (three minutes) when the other has little left. How long a file
 * takes comes from vitest's own record of the last run on this checkout, else from
 * test/durations.json (measured here and committed, so a fresh clone is ordered too; `npm run
 * test:durations` writes it again from the last full run). Failed files first, as vitest does;
 * a file known to neither goes early if it needs the stack (it may be long), late if not.
 */
import fs from 'node:fs';
import path from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';
import { projectRoot } from '../../infra/config.js';

export const DURATIONS_FILE = path.join(projectRoot, 'test', 'durations.json');

/** Seconds per file, keyed "project:path" as vitest keys its results. */
function readDurations(file = DURATIONS_FILE): Record<string, number> {
  return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, number>) : {};
}

const UNKNOWN_INT_S = 60;
const UNKNOWN_UNIT_S = 1;

export class LongestFirst extends BaseSequencer {
  private readonly known = readDurations();

  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const key = (f: TestSpecification) => `${f.project.name}:${path.relative(this.ctx.config.root, f.moduleId)}`;
    const expected = (f: TestSpecification): { failed: boolean; seconds: number } => {
      const last = this.ctx.cache.getFileTestResults(key(f));
      if (last) return { failed: last.failed, seconds: last.duration / 1000 };
      return { failed: false, seconds: this.known[key(f)] ?? (f.project.name === 'int' ? UNKNOWN_INT_S : UNKNOWN_UNIT_S) };
    };
    const ranked = files.map((f) => ({ f, ...expected(f) }));
    ranked.sort((a, b) => Number(b.failed) - Number(a.failed) || b.seconds - a.seconds);
    return ranked.map((r) => r.f);
  }
}
