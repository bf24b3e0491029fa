/**
 * Brings the local stack up for the integration tests, with both process engines (Zeebe, and the
 * Camunda 7 engine of the open-source path). The components the tests started, they stop again;
 * what the developer already had running (npm start, stack up) is left as it was.
 */
import { loadConfig } from '../infra/config.js';
import { JAVA_COMPONENTS, Stack } from '../stack/index.js';
import { engineClock } from '../stack/clock.js';
import { createDataSource } from '../infra/db/data-source.js';

export default async function setup(): Promise<() => Promise<void>> {
  // Tests move the engines' clocks instead of waiting for timers (test/support/clock.ts).
  process.env.STACK_CLOCK_CONTROL = 'true';
  const stack = new Stack(loadConfig(), (line) => console.log(`[stack] ${line}`));
  const before = (await stack.status()).filter((s) => s.pid !== undefined && s.health === 'up').map((s) => s.component);
  await stack.up(true, ['zeebe', 'camunda7']);
  const config = loadConfig();
  // A run stopped half-way may have left a clock moved; this also fails early, saying what to do,
  // when the engines were started without clock control.
  for (const engine of ['zeebe', 'camunda7'] as const) await engineClock(config, engine).reset();
  const ds = createDataSource(config);
  await ds.initialize();
  await ds.runMigrations({ transaction: 'each' });
  // Model versions a stopped run deployed (tests/ops/models): this run starts from the repository's bpmn/.
  await ds.query('DELETE FROM model_version');
  await ds.destroy();
  return async () => {
    if (before.length > 0) console.log(`[stack] left running: it was up before the tests (${before.join(', ')})`);
    for (const c of JAVA_COMPONENTS.filter((x) => !before.includes(x))) console.log(`[stack] ${await stack.stop(c)}`);
  };
}
