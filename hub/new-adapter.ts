/**
 * `npm run new-adapter <name> [--unit <code>] [--category <code>] [--title <text>]`: a working
 * adapter in adapters/<name>/ (JSON over HTTP, from adapters/kit/template/), with its simulator,
 * mapper test and contract test, ready to be changed into the real system's protocol. The hub
 * finds it by its folder (ADAPTERS=<name>). docs/adapters.md says what to change, step by step.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { adaptersDir } from '../adapters/registry.js';
import { envPrefix } from '../adapters/kit/settings.js';
import { findUnit, loadCatalog } from '../domain/catalog.js';
import { loadConfig, projectRoot } from '../infra/config.js';

export function scaffoldAdapter(o: { name: string; unit: string; category: string; title: string }): string[] {
  if (!/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(o.name) || o.name.length > 40) throw new Error(`"${o.name}" is not an adapter name: lower-case words joined by dashes, such as water-company (at most 40 characters)`);
  if (o.name === 'kit' || o.name === 'unit-system') throw new Error(`"${o.name}" is taken`);
  const dir = path.join(adaptersDir, o.name);
  if (fs.existsSync(dir)) throw new Error(`adapters/${o.name} exists already`);
  const catalog = loadCatalog(path.resolve(projectRoot, loadConfig().CATALOG_FILE));
  if (!findUnit(catalog, o.unit)) throw new Error(`unit "${o.unit}" is not in the catalog`);
  if (!catalog.categories.some((c) => c.code === o.category)) throw new Error(`category "${o.category}" is not in the catalog`);
  const templates = path.join(adaptersDir, 'kit', 'template');
  const fill = (text: string): string =>
    text.replaceAll('__NAME__', o.name).replaceAll('__ENV__', envPrefix(o.name)).replaceAll('__UNIT__', o.unit).replaceAll('__CATEGORY__', o.category).replaceAll('__TITLE__', o.title);
  fs.mkdirSync(dir);
  const made: string[] = [];
  for (const f of fs.readdirSync(templates).filter((f) => f.endsWith('.tpl')).sort()) {
    const to = path.join(dir, f.slice(0, -'.tpl'.length));
    fs.writeFileSync(to, fill(fs.readFileSync(path.join(templates, f), 'utf8')));
    made.push(path.relative(projectRoot, to));
  }
  return made;
}

const isMain = process.argv[1] && path.resolve(process.argv[1]) === path.resolve(projectRoot, 'hub/new-adapter.ts');
if (isMain) {
  const cmd = new Command('new-adapter')
    .argument('<name>', 'the adapter\'s name and folder, such as water-company')
    .option('--unit <code>', 'the unit the system stands for (a catalog code)', 'heating-group')
    .option('--category <code>', 'a category the dispatch rules send to that unit (its contract test takes one)', 'heating')
    .option('--title <text>', 'what the system is, in a line', '承办单位业务系统')
    .parse();
  const opts = cmd.opts<{ unit: string; category: string; title: string }>();
  try {
    const made = scaffoldAdapter({ name: cmd.args[0]!, ...opts });
    console.log(`made adapters/${cmd.args[0]}:\n  ${made.join('\n  ')}\n\nNext: make protocol.ts and the simulator speak the system's own protocol (docs/adapters.md), then\n  npx vitest run adapters/${cmd.args[0]}\n  ADAPTERS=${cmd.args[0]} ${envPrefix(cmd.args[0]!)}URL=… npm start`);
  } catch (err) {
    console.error(`new-adapter: ${(err as Error).message}`);
    process.exit(2);
  }
}
