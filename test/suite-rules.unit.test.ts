/**
 * Rules for the test files themselves, where breaking one fails only some runs.
 *
 * `vi.setConfig({ testTimeout })` is not kept: the suite runs files in shared workers
 * (`isolate: false`), and vitest's `vi` holds the worker state of the first batch it ran. A file in
 * a later batch that calls it keeps the 60 s default. CI's run of 8b117e5 failed this way: the
 * browser walk was meant to get 300 s and timed out at 60 s. A file sets its timeout on its
 * `describe` instead.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..');

function testFiles(dir: string, out: string[] = []): string[] {
  for (const e of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory() && e.name !== 'node_modules') testFiles(p, out);
    else if (/\.test\.ts(\.tpl)?$/.test(e.name)) out.push(p);
  }
  return out;
}

describe('the test files', () => {
  it('set their timeouts on describe or it, never with vi.setConfig', () => {
    const files = [...testFiles('test'), ...testFiles('adapters')].filter((f) => f !== path.join('test', 'suite-rules.unit.test.ts'));
    expect(files.length).toBeGreaterThan(50);
    const offenders = files.filter((f) => /vi\s*\.\s*setConfig\s*\(/.test(fs.readFileSync(path.join(root, f), 'utf8')));
    expect(offenders).toEqual([]);
  });
});
