/**
 * The models stay single-sourced: authored for Zeebe (what Camunda Modeler's Camunda 8 mode
 * writes, in bpmn/), and carried to a Camunda 7-API engine by this converter at deploy time.
 *
 * | Zeebe form | Camunda 7 form |
 * | --- | --- |
 * | service task, `zeebe:taskDefinition type` | external task, `camunda:topic` = the type |
 * | business rule task, `zeebe:calledDecision` | `camunda:decisionRef`, `resultVariable`, `mapDecisionResult="singleResult"` |
 * | message subscription `correlationKey` (FEEL) | receive task's local variable `correlationKey` (JUEL), correlated as a local correlation key |
 * | FEEL condition on a sequence flow | JUEL condition |
 * | timer `=path` | timer `${path}` |
 * | embedded sub-process | the same, its elements converted alike |
 * | call activity, `zeebe:calledElement processId`, all child variables propagated | `calledElement`, `camunda:in`/`camunda:out variables="all"`, the business key passed on |
 * | multi-instance, `zeebe:loopCharacteristics inputCollection` (a variable path) and `inputElement` | `camunda:collection` (JUEL), `camunda:elementVariable` |
 * | a process | `camunda:historyTimeToLive` (Camunda 7.20+ refuses a process without one) |
 *
 * FEEL is carried in the subset the models use: variable paths, string, number, boolean and null
 * literals, `= != < <= > >=`, `and`, `or`, `not(…)`, parentheses, and in correlation keys `+`
 * and `string(…)`. Anything else, and any element or Zeebe extension the table does not name, is
 * refused with the element's id and what to change (lintForCamunda7): a model that cannot run the
 * same on both engines never reaches either unnoticed.
 */
import { BpmnModdle } from 'bpmn-moddle';
import camunda from 'camunda-bpmn-moddle/resources/camunda.json' with { type: 'json' };
import { unsafeModelParts } from './model-safety.js';

// The Camunda 7 moddle reads the Zeebe extensions as generic elements, so one reader serves both.
type Element = { $type: string; id?: string; name?: string; $attrs: Record<string, string>; [k: string]: unknown; set(k: string, v: unknown): void; get(k: string): unknown };
type Ext = { $type: string; [k: string]: unknown };

export class ModelConversionError extends Error {
  readonly code = 'MODEL_NOT_PORTABLE';
  readonly retriable = false;
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`${file} cannot run on the Camunda 7 engine as it is:\n  ${problems.join('\n  ')}`);
  }
}

/** How long the engine keeps the history of a finished instance (the hub keeps its own, in order_history). */
export const HISTORY_TIME_TO_LIVE = 'P180D';

const SUPPORTED = new Set([
  'bpmn:StartEvent', 'bpmn:EndEvent', 'bpmn:ServiceTask', 'bpmn:BusinessRuleTask', 'bpmn:ReceiveTask', 'bpmn:ExclusiveGateway',
  'bpmn:ParallelGateway', 'bpmn:BoundaryEvent', 'bpmn:IntermediateCatchEvent', 'bpmn:SequenceFlow', 'bpmn:SubProcess', 'bpmn:CallActivity',
]);
const SUPPORTED_EVENT_DEFINITIONS = new Set(['bpmn:MessageEventDefinition', 'bpmn:TimerEventDefinition', 'bpmn:ErrorEventDefinition', 'bpmn:TerminateEventDefinition']);

// ---------------------------------------------------------------------------------------------
// FEEL (the subset) → JUEL

type Token = { kind: 'id' | 'str' | 'num' | 'op' | 'punct'; text: string };

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const ch = src[i]!;
    if (/\s/.test(ch)) {
      i++;
    } else if (ch === '"') {
      let j = i + 1;
      let text = '';
      while (j < src.length && src[j] !== '"') {
        if (src[j] === '\\') j++;
        text += src[j] ?? '';
        j++;
      }
      if (j >= src.length) throw new Error('a string is not closed');
      out.push({ kind: 'str', text });
      i = j + 1;
    } else if (/\d/.test(ch)) {
      const m = /^\d+(\.\d+)?/.exec(src.slice(i))!;
      out.push({ kind: 'num', text: m[0] });
      i += m[0].length;
    } else if (/[A-Za-z_]/.test(ch)) {
      const m = /^[A-Za-z_]\w*/.exec(src.slice(i))!;
      out.push({ kind: 'id', text: m[0] });
      i += m[0].length;
    } else {
      const m = /^(!=|<=|>=|=|<|>|\+)/.exec(src.slice(i));
      if (m) {
        out.push({ kind: 'op', text: m[0] });
        i += m[0].length;
      } else if ('().,'.includes(ch)) {
        out.push({ kind: 'punct', text: ch });
        i++;
      } else {
        throw new Error(`"${ch}" is not in the FEEL the converter carries`);
      }
    }
  }
  return out;
}

const KEYWORDS = new Set(['and', 'or', 'not', 'true', 'false', 'null', 'string']);
const juelString = (s: string): string => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

class FeelParser {
  private i = 0;
  constructor(private readonly t: Token[]) {}
  private peek = (): Token | undefined => this.t[this.i];
  private take(text?: string): Token {
    const tok = this.t[this.i];
    if (!tok || (text !== undefined && tok.text !== text)) throw new Error(`expected ${text ?? 'more'} but found ${tok ? `"${tok.text}"` : 'the end'}`);
    this.i++;
    return tok;
  }
  done(): void {
    if (this.i < this.t.length) throw new Error(`"${this.t[this.i]!.text}" is not in the FEEL the converter carries`);
  }
  /** A variable path: the root read null-safe from the execution, as FEEL reads a missing variable as null. */
  path(): string {
    const root = this.take();
    if (root.kind !== 'id' || KEYWORDS.has(root.text)) throw new Error(`"${root.text}" is not a variable`);
    let out = `execution.getVariable(${juelString(root.text)})`;
    while (this.peek()?.text === '.') {
      this.take('.');
      const part = this.take();
      if (part.kind !== 'id') throw new Error(`"${part.text}" after "." is not a name`);
      out += `.${part.text}`;
    }
    return out;
  }
  or(): string {
    let out = this.and();
    while (this.peek()?.text === 'or') {
      this.take();
      out = `${out} || ${this.and()}`;
    }
    return out;
  }
  private and(): string {
    let out = this.cmp();
    while (this.peek()?.text === 'and') {
      this.take();
      out = `${out} && ${this.cmp()}`;
    }
    return out;
  }
  private cmp(): string {
    const left = this.operand();
    const op = this.peek();
    if (op?.kind !== 'op' || op.text === '+') return left;
    this.take();
    const juelOp = op.text === '=' ? '==' : op.text;
    return `${left} ${juelOp} ${this.operand()}`;
  }
  private operand(): string {
    const tok = this.peek();
    if (!tok) throw new Error('the expression ends too early');
    if (tok.text === '(') {
      this.take('(');
      const inner = this.or();
      this.take(')');
      return `(${inner})`;
    }
    if (tok.text === 'not') {
      this.take();
      this.take('(');
      const inner = this.or();
      this.take(')');
      return `!(${inner})`;
    }
    if (tok.kind === 'str') {
      this.take();
      return juelString(tok.text);
    }
    if (tok.kind === 'num') return this.take().text;
    if (tok.text === 'true' || tok.text === 'false' || tok.text === 'null') return this.take().text;
    return this.path();
  }
  /** A correlation key: terms joined by "+", each a string, a path, or string(path). */
  key(): string {
    const parts: string[] = [];
    for (;;) {
      const tok = this.peek();
      if (tok?.kind === 'str') {
        if (/[$#]\{/.test(tok.text)) throw new Error('a key text may not contain "${" or "#{"');
        parts.push(this.take().text);
      } else if (tok?.text === 'string') {
        this.take();
        this.take('(');
        parts.push(`\${${this.path()}}`);
        this.take(')');
      } else {
        parts.push(`\${${this.path()}}`);
      }
      if (this.peek()?.text !== '+') return parts.join('');
      this.take('+');
    }
  }
}

const feelBody = (expr: string): string => {
  const s = expr.trim();
  if (!s.startsWith('=')) throw new Error(`"${expr}" is not a FEEL expression (it must start with "=")`);
  return s.slice(1);
};

/** A FEEL condition as a JUEL condition: `=a.b = "x" and c < 1` → `${execution.getVariable('a').b == 'x' && …}`. */
export function feelConditionToJuel(expr: string): string {
  const p = new FeelParser(tokenize(feelBody(expr)));
  const out = p.or();
  p.done();
  return `\${${out}}`;
}

/** A FEEL correlation key as a JUEL text: `=id + ":reply:" + string(n)` → `${…id}:reply:${…n}`. */
export function feelKeyToJuel(expr: string): string {
  const p = new FeelParser(tokenize(feelBody(expr)));
  const out = p.key();
  p.done();
  return out;
}

/** A timer's FEEL (a variable path) or a literal ISO 8601 text. */
export function feelTimerToJuel(expr: string): string {
  if (!expr.trim().startsWith('=')) return expr.trim();
  const p = new FeelParser(tokenize(feelBody(expr)));
  const out = p.path();
  p.done();
  return `\${${out}}`;
}

// ---------------------------------------------------------------------------------------------
// The model

const extValues = (e: Element): Ext[] => ((e.extensionElements as { values?: Ext[] } | undefined)?.values ?? []);
const zeebeExt = (e: Element, localName: string): Ext | undefined => extValues(e).find((v) => v.$type === `zeebe:${localName}`);
const where = (e: Element): string => `${e.$type.replace('bpmn:', '')} "${e.id}"${e.name ? ` (${e.name})` : ''}`;

interface Converted {
  xml: string;
  problems: string[];
}

async function convert(xml: string): Promise<Converted> {
  // The converter writes every camunda: attribute and JUEL expression of its output itself: a
  // model that brings its own (a listener, a script, `${…}`) is not carried (model-safety.ts).
  const unsafe = unsafeModelParts(xml);
  if (unsafe.length > 0) return { xml: '', problems: unsafe };
  const moddle = new BpmnModdle({ camunda } as never);
  const { rootElement, warnings } = await moddle.fromXML(xml);
  const problems: string[] = warnings.map((w: { message: string }) => `unreadable: ${w.message.split('\n')[0]}`);
  const defs = rootElement as unknown as Element & { rootElements: Element[] };
  const messages = new Map<string, Element>();
  for (const r of defs.rootElements) if (r.$type === 'bpmn:Message') messages.set(String(r.id), r);

  const handled = new Set(['zeebe:taskDefinition', 'zeebe:calledDecision', 'zeebe:subscription', 'zeebe:calledElement']);
  const visit = (e: Element): void => {
    for (const v of extValues(e)) {
      if (v.$type.startsWith('zeebe:') && !handled.has(v.$type)) problems.push(`${where(e)}: ${v.$type} is not carried to Camunda 7; do without it or extend the converter`);
    }
  };

  for (const proc of defs.rootElements.filter((r) => r.$type === 'bpmn:Process')) {
    if (!proc.get('camunda:historyTimeToLive')) proc.set('camunda:historyTimeToLive', HISTORY_TIME_TO_LIVE);
    convertElements((proc.flowElements as Element[] | undefined) ?? []);
  }

  function convertElements(flowElements: Element[]): void {
    for (const e of flowElements) {
      visit(e);
      if (!SUPPORTED.has(e.$type)) {
        problems.push(`${where(e)}: a ${e.$type.replace('bpmn:', '')} is not carried to Camunda 7 yet`);
        continue;
      }
      for (const d of (e.eventDefinitions as Element[] | undefined) ?? []) {
        if (!SUPPORTED_EVENT_DEFINITIONS.has(d.$type)) problems.push(`${where(e)}: a ${d.$type.replace('bpmn:', '')} is not carried to Camunda 7 yet`);
        if (d.$type === 'bpmn:TimerEventDefinition') {
          for (const k of ['timeDate', 'timeDuration', 'timeCycle'] as const) {
            const t = d[k] as { body?: string } | undefined;
            if (t?.body) {
              try {
                t.body = feelTimerToJuel(t.body);
              } catch (err) {
                problems.push(`${where(e)}: timer ${k} "${t.body}": ${(err as Error).message}`);
              }
            }
          }
        }
        if (d.$type === 'bpmn:MessageEventDefinition' && e.$type !== 'bpmn:StartEvent') {
          problems.push(`${where(e)}: a message event other than the start is not carried to Camunda 7 yet; wait for a message with a receive task`);
        }
      }
      if (e.$type === 'bpmn:ServiceTask') {
        const def = zeebeExt(e, 'taskDefinition');
        const type = def?.type as string | undefined;
        if (!type) problems.push(`${where(e)}: needs a zeebe:taskDefinition type`);
        else if (type.startsWith('=')) problems.push(`${where(e)}: a task type given by an expression ("${type}") is not carried to Camunda 7; name it`);
        else {
          e.set('camunda:type', 'external');
          e.set('camunda:topic', type);
        }
      }
      if (e.$type === 'bpmn:BusinessRuleTask') {
        const called = zeebeExt(e, 'calledDecision');
        const decisionId = called?.decisionId as string | undefined;
        if (!decisionId || decisionId.startsWith('=')) problems.push(`${where(e)}: needs a zeebe:calledDecision with a fixed decisionId`);
        else {
          e.set('camunda:decisionRef', decisionId);
          e.set('camunda:resultVariable', String(called!.resultVariable));
          // Zeebe's result of a single-hit table is the map of its outputs: so is singleResult.
          e.set('camunda:mapDecisionResult', 'singleResult');
        }
      }
      if (e.$type === 'bpmn:ReceiveTask') {
        const message = messages.get(String((e.messageRef as Element | undefined)?.id));
        const key = message ? (zeebeExt(message, 'subscription')?.correlationKey as string | undefined) : undefined;
        if (!message || !key) problems.push(`${where(e)}: waits for a message without a zeebe:subscription correlationKey`);
        else {
          try {
            const value = feelKeyToJuel(key);
            const io = moddle.create('camunda:InputOutput', { inputParameters: [moddle.create('camunda:InputParameter', { name: 'correlationKey', value })] });
            e.extensionElements = moddle.create('bpmn:ExtensionElements', { values: [io] });
          } catch (err) {
            problems.push(`${where(e)}: correlation key "${key}": ${(err as Error).message}`);
          }
        }
      }
      if (e.$type === 'bpmn:SubProcess') {
        if (e.triggeredByEvent) problems.push(`${where(e)}: an event sub-process is not carried to Camunda 7 yet`);
        convertElements((e.flowElements as Element[] | undefined) ?? []);
      }
      if (e.$type === 'bpmn:CallActivity') {
        const called = zeebeExt(e, 'calledElement');
        const processId = called?.processId as string | undefined;
        if (!processId || processId.startsWith('=')) problems.push(`${where(e)}: needs a zeebe:calledElement with a fixed processId`);
        else if (String(called!.propagateAllChildVariables) === 'false') {
          problems.push(`${where(e)}: propagateAllChildVariables="false" (output mappings) is not carried to Camunda 7; propagate all child variables`);
        } else {
          e.set('calledElement', processId);
          // Zeebe copies every variable in and, with propagateAllChildVariables, every one out; the
          // business key (the order's correlation id) goes along for the start check and for operators.
          const io = [
            moddle.create('camunda:In', { variables: 'all' }),
            moddle.create('camunda:In', { businessKey: '#{execution.processBusinessKey}' }),
            moddle.create('camunda:Out', { variables: 'all' }),
          ];
          e.extensionElements = moddle.create('bpmn:ExtensionElements', { values: [...extValues(e), ...io] });
        }
      }
      const loop = e.loopCharacteristics as Element | undefined;
      if (loop) convertLoop(e, loop);
      if (e.$type === 'bpmn:SequenceFlow' && e.conditionExpression) {
        const c = e.conditionExpression as { body?: string };
        try {
          c.body = feelConditionToJuel(String(c.body));
        } catch (err) {
          problems.push(`${where(e)}: condition "${c.body}": ${(err as Error).message}`);
        }
      }
      dropZeebe(e);
    }
  }
  /** 多实例: one instance per item of a list variable, each with the item in its own variable; nothing collected back. */
  function convertLoop(e: Element, loop: Element): void {
    if (loop.$type !== 'bpmn:MultiInstanceLoopCharacteristics') {
      problems.push(`${where(e)}: a standard loop is not carried to Camunda 7; use a multi-instance over a list`);
      return;
    }
    const z = zeebeExt(loop, 'loopCharacteristics');
    for (const v of extValues(loop)) if (v.$type !== 'zeebe:loopCharacteristics') problems.push(`${where(e)}: ${v.$type} on its multi-instance is not carried to Camunda 7`);
    const input = z?.inputCollection as string | undefined;
    const element = z?.inputElement as string | undefined;
    if (!input || !element) problems.push(`${where(e)}: a multi-instance needs zeebe:loopCharacteristics inputCollection and inputElement`);
    else if (z!.outputCollection || z!.outputElement) problems.push(`${where(e)}: a multi-instance output collection is not carried to Camunda 7; let each instance record its outcome`);
    else if (loop.completionCondition) problems.push(`${where(e)}: a multi-instance completion condition is not carried to Camunda 7`);
    else if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(element)) problems.push(`${where(e)}: inputElement "${element}" must be a plain variable name`);
    else {
      try {
        loop.set('camunda:collection', feelTimerToJuel(input.trim().startsWith('=') ? input : `=${input}`));
        loop.set('camunda:elementVariable', element);
      } catch (err) {
        problems.push(`${where(e)}: inputCollection "${input}": ${(err as Error).message}`);
      }
    }
    dropZeebe(loop);
  }
  for (const m of messages.values()) dropZeebe(m);
  delete defs.$attrs['xmlns:zeebe'];
  if (defs.$attrs['xmlns:modeler']) {
    // What Camunda Modeler reads to open the file in its Camunda 7 mode.
    defs.$attrs['modeler:executionPlatform'] = 'Camunda Platform';
    defs.$attrs['modeler:executionPlatformVersion'] = '7.24.0';
  }
  const { xml: out } = await moddle.toXML(rootElement, { format: true });
  return { xml: out, problems };
}

function dropZeebe(e: Element): void {
  const ext = e.extensionElements as { values?: Ext[] } | undefined;
  if (!ext?.values) return;
  ext.values = ext.values.filter((v) => !v.$type.startsWith('zeebe:'));
  if (ext.values.length === 0) e.extensionElements = undefined;
}

/** What in a Zeebe model the converter cannot carry to Camunda 7, each naming its element; empty when it can. */
export async function lintForCamunda7(xml: string): Promise<string[]> {
  return (await convert(xml)).problems;
}

/** The Camunda 7 form of a Zeebe model, or a ModelConversionError listing every problem. */
export async function convertToCamunda7(xml: string, file = 'model'): Promise<string> {
  const { xml: out, problems } = await convert(xml);
  if (problems.length > 0) throw new ModelConversionError(file, problems);
  return out;
}
