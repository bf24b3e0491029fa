#!/usr/bin/env -S npx tsx
/**
 * The `hub` command: `hub stack up|down|status|logs` for the local stack (npm run stack -- ...),
 * and `hub start` for the hub itself.
 */
import { Command, InvalidArgumentError } from 'commander';
import fs from 'node:fs';
import path from 'node:path';
import { ConfigError, loadConfig, configTableMarkdown, projectRoot } from '../infra/config.js';
import { formatStatus, Stack, StackError } from '../stack/index.js';
import { startHub } from './compose.js';

const program = new Command('hub').description('12345 hotline integration hub').showHelpAfterError();

function stack(): Stack {
  return new Stack(loadConfig());
}

const stackCmd = program.command('stack').description('the local Zeebe, Kafka and MySQL the hub needs');
stackCmd
  .command('up')
  .description('resolve (first time), start and wait for Zeebe and Kafka; check MySQL and create the database')
  .action(async () => {
    const rows = await stack().up();
    console.log(formatStatus(rows));
  });
stackCmd
  .command('down')
  .description('stop the processes this stack started')
  .action(async () => {
    for (const line of await stack().down()) console.log(line);
  });
stackCmd
  .command('status')
  .description('version, pid, ports, health and memory of each component')
  .action(async () => {
    const rows = await stack().status();
    console.log(formatStatus(rows));
  });
stackCmd
  .command('logs')
  .description('the last lines of the component logs')
  .argument('[component]', 'zeebe or kafka (both when left out)')
  .option('-n, --lines <n>', 'how many lines', (v) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('a whole number ≥ 1');
    return n;
  }, 50)
  .action((component: string | undefined, opts: { lines: number }) => {
    if (component && !['zeebe', 'kafka'].includes(component)) {
      throw new InvalidArgumentError(`unknown component "${component}": zeebe or kafka`);
    }
    console.log(stack().logs(component, opts.lines));
  });

program
  .command('start')
  .description('bring the local stack up when it is not running, then run the hub')
  .action(async () => {
    const config = loadConfig();
    const rows = await new Stack(config).up(true);
    console.log(formatStatus(rows));
    const hub = await startHub(config);
    if (hub.url) console.log(`\nThe hub is running. API: ${hub.url}/api/v1  (OpenAPI: ${hub.url}/api/v1/openapi.json)\nStop with Ctrl+C; the stack keeps running (npm run stack -- down stops it).`);
    const stop = async (): Promise<void> => {
      await hub.close();
      process.exit(0);
    };
    process.once('SIGINT', () => void stop());
    process.once('SIGTERM', () => void stop());
  });

program
  .command('config')
  .description('print the configuration table (markdown) generated from infra/config.ts')
  .option('--readme', 'write it into README.md between the config-table markers')
  .action((opts: { readme?: boolean }) => {
    if (!opts.readme) return console.log(configTableMarkdown());
    const file = path.join(projectRoot, 'README.md');
    const readme = fs.readFileSync(file, 'utf8');
    const re = /(<!-- config-table:start -->\n)[\s\S]*?(<!-- config-table:end -->)/;
    if (!re.test(readme)) throw new Error('README.md has no <!-- config-table:start --> ... <!-- config-table:end --> markers');
    fs.writeFileSync(file, readme.replace(re, `$1${configTableMarkdown()}\n$2`));
    console.log('README.md configuration table updated');
  });

program.parseAsync(process.argv).catch((err: unknown) => {
  if (err instanceof ConfigError || err instanceof StackError) {
    console.error(`${err.name}${'code' in err ? ` [${err.code}]` : ''}: ${err.message}`);
  } else {
    console.error(err);
  }
  process.exitCode = 1;
});
