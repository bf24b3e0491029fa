/**
 * 命中规则: which rule of a decision table decided an order, found again from the table's version
 * and the inputs the process gave it, with FEEL as the engines evaluate it (feelin, bpmn.io's
 * interpreter): the first rule whose every input cell holds (an empty cell or "-" holds always).
 * The tables here are FIRST hit policy; for any other the first match is what is reported.
 */
import { evaluate, unaryTest } from 'feelin';
import { readDmn } from './model-checks.js';

export interface MatchedRule {
  /** 1 for the table's first rule. */
  index: number;
  id: string;
  description: string;
}

/** The rule of `decisionId` in `xml` that matches `inputs`, or null (no rule, or no such table). A cell FEEL cannot read matches nothing. */
export async function matchedRule(xml: string, decisionId: string, inputs: Record<string, unknown>): Promise<MatchedRule | null> {
  const { shape } = await readDmn(xml);
  const table = shape.decisions.find((d) => d.id === decisionId)?.table;
  if (!table) return null;
  const values = table.inputs.map((i) => {
    try {
      return (evaluate(i.expr, inputs) as { value: unknown }).value;
    } catch {
      return undefined;
    }
  });
  const holds = (cell: string, value: unknown): boolean => {
    const test = cell.trim();
    if (test === '' || test === '-') return true;
    try {
      return (unaryTest(test, { ...inputs, '?': value }) as { value: unknown }).value === true;
    } catch {
      return false;
    }
  };
  const n = table.rules.findIndex((r) => r.inputs.every((cell, k) => holds(cell, values[k])));
  if (n < 0) return null;
  const rule = table.rules[n]!;
  return { index: n + 1, id: rule.id, description: rule.description };
}
