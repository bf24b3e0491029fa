/**
 * bpmnlint through its Linter API, not by reading its command's printed table: the rules
 * .bpmnlintrc names (bpmnlint's recommended rules, Camunda 8.5 compatibility) on a model that
 * bpmn-moddle has already read with Zeebe's extension. Rules and plugins resolve from the hub's
 * own node_modules, from whatever directory the hub runs in.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { projectRoot } from '../config.js';

/** One finding: the element it is about (or the model's own id), what is wrong, the rule. */
export interface LintReport {
  element: string;
  message: string;
  rule: string;
  category: 'error' | 'warn' | 'info' | 'rule-error';
}

interface Linter {
  lint(root: unknown): Promise<Record<string, Array<{ id?: string; message: string; category: LintReport['category']; name?: string }>>>;
}

const hubRequire = createRequire(path.join(projectRoot, 'package.json'));

/**
 * A linter for one model. Not shared between models: some rules keep what they saw in the rule
 * instance (no-duplicate-sequence-flows), and a second model linted by the same instance had every
 * flow reported as a duplicate. Node's module cache keeps the rules' code loaded.
 */
function newLinter(): Linter {
  const { Linter } = hubRequire('bpmnlint') as { Linter: new (o: unknown) => Linter };
  const NodeResolver = hubRequire('bpmnlint/lib/resolver/node-resolver') as new (o: unknown) => unknown;
  const rc = JSON.parse(fs.readFileSync(path.join(projectRoot, '.bpmnlintrc'), 'utf8')) as { extends?: string[]; rules?: Record<string, unknown> };
  return new Linter({ config: { extends: rc.extends, rules: rc.rules }, resolver: new NodeResolver({ require: hubRequire }) });
}

/** What bpmnlint finds in a parsed model (bpmn-moddle's root element), errors first. */
export async function lintBpmn(root: unknown): Promise<LintReport[]> {
  const results = await newLinter().lint(root);
  const reports = Object.entries(results).flatMap(([rule, found]) => found.map((r) => ({ element: r.id ?? '(the model)', message: r.message, rule: r.name ?? rule, category: r.category })));
  const rank = (c: LintReport['category']) => (c === 'error' || c === 'rule-error' ? 0 : 1);
  return reports.sort((a, b) => rank(a.category) - rank(b.category));
}

/** A finding as one line: `element: message (rule)`; a rule that crashed says so (the model is refused: it was not checked). */
export const lintLine = (r: LintReport): string => (r.category === 'rule-error' ? `${r.element}: the rule ${r.rule} could not check it: ${r.message}` : `${r.element}: ${r.message} (${r.rule})`);
