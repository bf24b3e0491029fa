/**
 * Where code may depend on what (docs/architecture.md): the order's rules (domain/) depend on
 * nothing of the hub's; the use cases on the rules and on their ports (usecases/ports.ts), never
 * on the infrastructure that implements them; no module imports in a circle; SQL lives in infra/.
 * Read from the source's import statements, type-only ones included.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..');
const LAYERS = ['domain', 'usecases', 'workers', 'infra', 'gateway', 'adapters', 'stack', 'hub'] as const;
type Layer = (typeof LAYERS)[number];

/** What each layer may import besides itself. hub/ is the composition root: it wires everything. */
const MAY_IMPORT: Record<Layer, readonly Layer[]> = {
  domain: [],
  usecases: ['domain'],
  // Workers translate jobs into use cases; the job contract (infra/engine/job-contract.ts) is theirs.
  workers: ['domain', 'usecases'],
  // infra implements the use cases' ports (usecases/ports.ts, usecases/errors.ts).
  infra: ['domain', 'usecases'],
  gateway: ['domain', 'usecases', 'infra'],
  adapters: ['domain', 'infra'],
  stack: ['infra'],
  hub: ['domain', 'usecases', 'workers', 'infra', 'gateway', 'adapters', 'stack'],
};

/** Single files a layer may import outside MAY_IMPORT, each with why. */
const ALSO: Record<string, string> = {
  'workers -> infra/engine/job-contract.ts': 'the worker contract: variables in, variables or a BPMN error out, on either engine',
  'infra -> usecases/ports.ts': 'the ports infra implements',
  'infra -> usecases/errors.ts': 'the errors the hub raises on purpose',
};

function sources(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (e.name !== 'node_modules' && !e.name.startsWith('scaffold-test')) walk(p);
      } else if (p.endsWith('.ts') && !p.includes('.test.')) out.push(p);
    }
  };
  for (const l of LAYERS) walk(l);
  return out;
}

const IMPORT = /(?:^|\n)\s*(?:import|export)\s+(?:type\s+)?(?:[^'";]*?\s+from\s+)?['"](\.{1,2}\/[^'"]+)['"]|import\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g;

/** Each source file's imports of other source files (paths from the repository root). */
function graph(): Map<string, string[]> {
  const g = new Map<string, string[]>();
  for (const f of sources()) {
    const text = fs.readFileSync(path.join(root, f), 'utf8');
    const deps = new Set<string>();
    for (const m of text.matchAll(IMPORT)) {
      const target = path.normalize(path.join(path.dirname(f), m[1] ?? m[2]!)).replace(/\.js$/, '.ts');
      if (fs.existsSync(path.join(root, target))) deps.add(target);
    }
    g.set(f, [...deps]);
  }
  return g;
}

const layerOf = (f: string) => f.split(path.sep)[0] as Layer;
const g = graph();

describe('architecture', () => {
  it('reads the hub\'s source: every layer has files and imports are found', () => {
    for (const l of LAYERS) expect([...g.keys()].some((f) => layerOf(f) === l), l).toBe(true);
    expect(g.get(path.join('usecases', 'submit-reply.ts'))).toContain(path.join('usecases', 'unit-actions.ts'));
  });

  it('no layer imports one it may not (the rules depend on nothing; use cases on the rules and their ports)', () => {
    const wrong: string[] = [];
    for (const [f, deps] of g) {
      for (const d of deps) {
        const from = layerOf(f);
        const to = layerOf(d);
        if (from === to || MAY_IMPORT[from].includes(to) || ALSO[`${from} -> ${d}`]) continue;
        wrong.push(`${f} -> ${d}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('no module imports in a circle', () => {
    const index = new Map<string, number>();
    const low = new Map<string, number>();
    const stack: string[] = [];
    const onStack = new Set<string>();
    const cycles: string[][] = [];
    let next = 0;
    const visit = (v: string) => {
      index.set(v, next);
      low.set(v, next++);
      stack.push(v);
      onStack.add(v);
      for (const w of g.get(v) ?? []) {
        if (!index.has(w)) {
          visit(w);
          low.set(v, Math.min(low.get(v)!, low.get(w)!));
        } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
      if (low.get(v) === index.get(v)) {
        const scc: string[] = [];
        let w: string;
        do {
          w = stack.pop()!;
          onStack.delete(w);
          scc.push(w);
        } while (w !== v);
        if (scc.length > 1) cycles.push(scc);
      }
    };
    for (const v of g.keys()) if (!index.has(v)) visit(v);
    expect(cycles).toEqual([]);
  });

  it('SQL is written in infra/ only (an adapter\'s transport may speak to its legacy system\'s own tables)', () => {
    const SQL = /['"`]\s*(SELECT\s[\s\S]*?\sFROM|INSERT\s+(IGNORE\s+)?INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM)\b/i;
    const legacyTables = new Set([path.join('adapters', 'exchange-table', 'transport.ts'), path.join('adapters', 'exchange-table', 'simulator.ts')]);
    const found = [...g.keys()].filter((f) => layerOf(f) !== 'infra' && !legacyTables.has(f) && SQL.test(fs.readFileSync(path.join(root, f), 'utf8')));
    expect(found).toEqual([]);
  });
});
