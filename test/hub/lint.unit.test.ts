/**
 * `hub lint`: a deploy's checks with no database, engine or hub, for process owners and a centre's
 * own CI. Each failure names the model and the element; the exit code says pass (0), a model fails
 * (1) or the command was used wrongly (2).
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../infra/config.js';
import { lintModels, LintUsageError } from '../../hub/lint.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hub-lint-test-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const shipped = (name: string): string => fs.readFileSync(path.join(projectRoot, 'bpmn', name), 'utf8');
/** A shipped model edited once: `from` must be in it. */
function edited(name: string, ...edits: Array<[from: string, to: string]>): string {
  let xml = shipped(name);
  for (const [from, to] of edits) {
    expect(xml.includes(from), `the fixture's anchor "${from}"`).toBe(true);
    xml = xml.replace(from, to);
  }
  const file = path.join(dir, name);
  fs.writeFileSync(file, xml);
  return file;
}
const catalogFile = 'config/catalog.json';

describe('hub lint', () => {
  // Every model linted twice: about 2 s alone, 10 s in `npm test` beside eslint, tsc and the stack's fetch on 2 cores.
  it('passes every model the hub ships, the second time as the first (a rule that kept state once reported every flow of a model linted again as a duplicate)', { timeout: 30_000 }, async () => {
    for (let round = 0; round < 2; round++) {
      const results = await lintModels([], { catalogFile });
      expect(results.length).toBeGreaterThanOrEqual(10);
      expect(results.filter((r) => r.problems.length > 0)).toEqual([]);
    }
  });

  it('names the rule and the unit of a dispatch table that sends orders to a unit the catalog does not know', async () => {
    const file = edited('dispatch.dmn', ['<outputEntry id="rule-4-unit"><text>&#34;hexi-gov&#34;</text></outputEntry>', '<outputEntry id="rule-4-unit"><text>&#34;hexi-gvo&#34;</text></outputEntry>']);
    const [r] = await lintModels([file], { catalogFile });
    expect(r!.problems).toHaveLength(1);
    expect(r!.problems[0]).toMatch(/^decision dispatch, rule rule-4\b.*"hexi-gvo" is not in config\/catalog\.json$/);
  });

  it('names the element bpmnlint finds wrong, the job type no worker serves, and a process id that changed', async () => {
    const file = edited(
      'work-order.bpmn',
      [
        '<bpmn:process id="work-order" name="工单处置 work order" isExecutable="true">',
        '<bpmn:process id="work-order-2" name="工单处置 work order" isExecutable="true"><bpmn:task id="orphan-task" name="无连线" /><bpmn:serviceTask id="odd-job"><bpmn:extensionElements><zeebe:taskDefinition type="send-fax" /></bpmn:extensionElements></bpmn:serviceTask>',
      ],
      ['bpmnElement="work-order"', 'bpmnElement="work-order-2"'],
    );
    const [r] = await lintModels([file], { catalogFile });
    const text = r!.problems.join('\n');
    expect(text).not.toContain('could not check it');
    expect(text).toContain('bpmnlint: orphan-task: Element is not connected (no-disconnected)');
    expect(text).toContain('job type "send-fax" has no worker in this hub');
    expect(text).toContain('its processes are work-order-2, not work-order');
  });

  it('refuses a file it cannot read as a usage error, not as a model that fails', async () => {
    await expect(lintModels([path.join(dir, 'missing.bpmn')], { catalogFile })).rejects.toThrow(LintUsageError);
  });

  it('exits 0 when the models pass, 1 naming the element when one fails, 2 when a file cannot be read', { timeout: 60_000 }, async () => {
    const bad = edited('review-policy.dmn', ['<decisionTable ', '<decisionTable expressionLanguage="juel" ']);
    const run = async (...args: string[]) => {
      try {
        const { stdout, stderr } = await promisify(execFile)(path.join(projectRoot, 'node_modules/.bin/tsx'), [path.join(projectRoot, 'hub/cli.ts'), 'lint', ...args], { cwd: dir, timeout: 50_000 });
        return { code: 0, stdout, stderr };
      } catch (err) {
        const e = err as { code: number; stdout: string; stderr: string };
        return { code: e.code, stdout: e.stdout, stderr: e.stderr };
      }
    };
    const [ok, failing, missing] = await Promise.all([run(path.join(projectRoot, 'bpmn/dispatch.dmn')), run(bad, path.join(projectRoot, 'bpmn/work-order.bpmn')), run('nowhere.dmn')]);
    expect(ok).toMatchObject({ code: 0, stdout: '' });
    expect(ok.stderr).toContain('1 models pass');
    expect(failing.code).toBe(1);
    expect(failing.stdout).toMatch(new RegExp(`^${bad.replaceAll('\\', '\\\\').replaceAll('.', '\\.')}: line \\d+: expressionLanguage="juel": only FEEL`, 'm'));
    expect(failing.stderr).toContain('1 problems in 1 of 2 models');
    expect(missing.code).toBe(2);
    expect(missing.stderr.trim()).toBe('hub lint: cannot read nowhere.dmn: ENOENT');
  });
});
