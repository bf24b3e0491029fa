/**
 * README.md leads a newcomer, so what it says must hold: at most about 250 lines; every link to a
 * file of the repository (and to a heading in it) resolves, and none leaves the repository; every
 * `npm run` script it names exists, and every `hub` verb it names is one the command has. The same
 * for the links of docs/.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../infra/config.js';

const readme = fs.readFileSync(path.join(projectRoot, 'README.md'), 'utf8');
const docs = (fs.readdirSync(path.join(projectRoot, 'docs'), { recursive: true }) as string[]).filter((f) => f.endsWith('.md')).map((f) => path.join('docs', f));

/** GitHub's anchor of a heading: lower case, spaces to '-', punctuation out. */
const slug = (heading: string): string => heading.trim().toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');

function brokenLinks(file: string): string[] {
  const text = fs.readFileSync(path.join(projectRoot, file), 'utf8').replace(/```[\s\S]*?```/g, '');
  const out: string[] = [];
  for (const m of text.matchAll(/\]\(([^)\s]+)\)/g)) {
    const target = m[1]!;
    if (/^(https?:|mailto:)/.test(target)) continue;
    const [rel, anchor] = target.split('#') as [string, string | undefined];
    const abs = rel ? path.resolve(projectRoot, path.dirname(file), rel) : path.join(projectRoot, file);
    if (!abs.startsWith(projectRoot + path.sep)) {
      out.push(`${file}: ${target} leaves the repository`);
      continue;
    }
    if (!fs.existsSync(abs)) {
      out.push(`${file}: ${target} does not exist`);
      continue;
    }
    if (anchor && abs.endsWith('.md')) {
      const headings = [...fs.readFileSync(abs, 'utf8').matchAll(/^#{1,6} (.+)$/gm)].map((h) => slug(h[1]!));
      if (!headings.includes(anchor)) out.push(`${file}: ${target} names no heading of ${rel || file}`);
    }
  }
  return out;
}

describe('README.md', () => {
  it('stays a newcomer\'s path: at most about 250 lines', () => {
    expect(readme.split('\n').length).toBeLessThanOrEqual(260);
  });

  it('links only to files and headings of the repository that exist, and so do the docs', () => {
    expect([...brokenLinks('README.md'), ...docs.flatMap(brokenLinks)]).toEqual([]);
  });

  it('names only npm scripts that exist and hub verbs the command has', () => {
    const scripts = Object.keys((JSON.parse(fs.readFileSync(path.join(projectRoot, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts);
    const named = [...readme.matchAll(/npm run (?:-s )?([a-z][a-z0-9:-]*)/g)].map((m) => m[1]!);
    expect(named.length).toBeGreaterThan(3);
    expect([...new Set(named)].filter((n) => !scripts.includes(n))).toEqual([]);
    const cli = fs.readFileSync(path.join(projectRoot, 'hub/cli.ts'), 'utf8');
    const verbs = new Set([...cli.matchAll(/\.command\('([a-z-]+)'/g)].map((m) => m[1]!));
    const used = [...readme.matchAll(/(?:npm run (?:-s )?(?:hub|stack) --|`hub) ([a-z][a-z-]+)/g)].map((m) => m[1]!);
    expect(used.length).toBeGreaterThan(3);
    expect([...new Set(used)].filter((v) => !verbs.has(v))).toEqual([]);
  });
});
