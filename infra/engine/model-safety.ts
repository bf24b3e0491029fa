/**
 * What a model may not carry, whoever deploys it and to whichever engine: nothing that runs code.
 *
 * Zeebe evaluates FEEL only. A Camunda 7-API engine also runs JUEL (`${…}`, `#{…}`, which can call
 * any Java method), script languages named by `expressionLanguage`, `language` or `scriptFormat`,
 * and whatever the `camunda:` extensions name (listeners, delegate classes, scripts). The hub's
 * converter (camunda7-model.ts) writes the few `camunda:` attributes and JUEL expressions a model
 * needs from its Zeebe form; a model as a person writes it may hold none of them. So a model may
 * declare only the namespaces of BPMN, DMN, their diagrams, Zeebe's extensions and what Camunda
 * Modeler writes; no DOCTYPE (no entities, no external files); no `${` or `#{` anywhere, character
 * references decoded; and an expression language, where it names one, is FEEL.
 */

import { HubError } from '../errors.js';

/** The namespaces a model may declare. */
export const MODEL_NAMESPACES: ReadonlySet<string> = new Set([
  'http://www.omg.org/spec/BPMN/20100524/MODEL',
  'http://www.omg.org/spec/BPMN/20100524/DI',
  'http://www.omg.org/spec/DD/20100524/DC',
  'http://www.omg.org/spec/DD/20100524/DI',
  'https://www.omg.org/spec/DMN/20191111/MODEL/',
  'https://www.omg.org/spec/DMN/20191111/DMNDI/',
  'http://www.omg.org/spec/DMN/20180521/DC/',
  'http://www.omg.org/spec/DMN/20180521/DI/',
  'http://www.w3.org/2001/XMLSchema-instance',
  'http://www.w3.org/2001/XMLSchema',
  'http://camunda.org/schema/zeebe/1.0',
  // Camunda Modeler: the execution platform, and element colours.
  'http://camunda.org/schema/modeler/1.0',
  'http://bpmn.io/schema/bpmn/biocolor/1.0',
  'http://www.omg.org/spec/BPMN/non-normative/color/1.0',
]);

/** The names FEEL goes by in an `expressionLanguage` or `language` attribute. */
const FEEL = new Set([
  'feel',
  'https://www.omg.org/spec/dmn/20191111/feel/',
  'https://www.omg.org/spec/dmn/20191111/feel',
  'http://www.omg.org/spec/feel/20140401',
  'https://www.omg.org/spec/feel/20140401',
]);

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** The text with its character and entity references decoded (what a parser hands the engine). */
function decoded(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (whole, ref: string) => {
    if (ref[0] !== '#') return ENTITIES[ref.toLowerCase()] ?? whole;
    const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
    return Number.isFinite(code) && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}

const line = (xml: string, index: number): number => xml.slice(0, index).split('\n').length;

/** What in `xml` could run code on an engine, a line each with where it is; empty when nothing. */
export function unsafeModelParts(xml: string): string[] {
  const problems: string[] = [];
  const doctype = /<!(DOCTYPE|ENTITY)\b/i.exec(xml);
  if (doctype) problems.push(`line ${line(xml, doctype.index)}: a <!${doctype[1]!.toUpperCase()}> is not allowed in a model (entities can read files and grow without bound)`);
  for (const m of xml.matchAll(/\sxmlns(?::([\w.-]+))?\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
    const uri = decoded(m[2] ?? m[3] ?? '');
    if (!MODEL_NAMESPACES.has(uri)) {
      const camunda7 = /^https?:\/\/camunda\.org\/schema\/1\.0\//.test(uri);
      problems.push(
        `line ${line(xml, m.index)}: namespace ${m[1] ? `"${m[1]}" ` : ''}${uri} is not allowed${camunda7 ? ": Camunda 7's extensions (listeners, scripts, delegate classes) run code in the engine; the hub writes what Camunda 7 needs from the Zeebe form" : ' in a model (BPMN, DMN, their diagrams, zeebe: and Camunda Modeler only)'}`,
      );
    }
  }
  for (const m of xml.matchAll(/\s(expressionLanguage|language|scriptFormat)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
    const value = decoded(m[2] ?? m[3] ?? '').trim();
    if (m[1] === 'scriptFormat' || !FEEL.has(value.toLowerCase())) problems.push(`line ${line(xml, m.index)}: ${m[1]}="${value}": only FEEL is allowed (other expression and script languages run code in a Camunda 7 engine)`);
  }
  const text = decoded(xml);
  for (const m of text.matchAll(/[$#]\{/g)) {
    const around = text.slice(Math.max(0, m.index - 20), m.index + 30).replace(/\s+/g, ' ');
    problems.push(`"…${around}…": "${m[0]}" starts a Camunda 7 expression (JUEL), which can call Java code; write FEEL ("=…") instead`);
  }
  return [...new Set(problems)];
}

export class UnsafeModelError extends HubError {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super('MODEL_UNSAFE', `${file} is not deployed: ${problems.join('; ')}`, false);
  }
}

/** Throws UnsafeModelError when `xml` carries anything unsafeModelParts lists. */
export function assertSafeModel(file: string, xml: string): void {
  const problems = unsafeModelParts(xml);
  if (problems.length > 0) throw new UnsafeModelError(file, problems);
}
