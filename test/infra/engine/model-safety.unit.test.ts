/**
 * Nothing in a model runs code on an engine (infra/engine/model-safety.ts), whoever deploys it:
 * valid and invalid fixtures, each an edit of a model the hub ships, the way bpmnlint tests its
 * rules; then the same refusals where a person's model enters (checkModel), where the converter
 * reads it, and where a decision goes to a Camunda 7 engine as it is.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../../domain/catalog.js';
import { projectRoot } from '../../../infra/config.js';
import { createLogger } from '../../../infra/log.js';
import { deployModelsCamunda7 } from '../../../infra/engine/camunda7-deploy.js';
import { convertToCamunda7, ModelConversionError } from '../../../infra/engine/camunda7-model.js';
import { checkModel, describeChange } from '../../../infra/engine/model-checks.js';
import { UnsafeModelError, unsafeModelParts } from '../../../infra/engine/model-safety.js';
import { workers } from '../../../workers/index.js';

const read = (name: string): string => fs.readFileSync(path.join(projectRoot, 'bpmn', name), 'utf8');
const dmn = read('dispatch.dmn');
const bpmn = read('work-order.bpmn');
const once = (xml: string, from: string, to: string): string => {
  expect(xml.includes(from), `the fixture's anchor "${from}"`).toBe(true);
  return xml.replace(from, to);
};
const CAMUNDA7_NS = 'xmlns:camunda="http://camunda.org/schema/1.0/bpmn"';
const withCamunda = (xml: string): string => once(xml, 'xmlns:zeebe=', `${CAMUNDA7_NS} xmlns:zeebe=`);
const juelInput = once(dmn, '<inputExpression id="input-category-expr" typeRef="string">', '<inputExpression id="input-category-expr" typeRef="string" expressionLanguage="juel">');

describe('what a model may not carry', () => {
  it.each(fs.readdirSync(path.join(projectRoot, 'bpmn')).filter((f) => /\.(bpmn|dmn)$/.test(f)))('passes the shipped %s', (file) => {
    expect(unsafeModelParts(read(file))).toEqual([]);
  });

  it.each([
    ['FEEL named on an input expression', once(dmn, '<inputExpression id="input-category-expr" typeRef="string">', '<inputExpression id="input-category-expr" typeRef="string" expressionLanguage="https://www.omg.org/spec/DMN/20191111/FEEL/">')],
    ['FEEL by its short name', once(dmn, '<inputExpression id="input-category-expr" typeRef="string">', '<inputExpression id="input-category-expr" typeRef="string" expressionLanguage="feel">')],
    ["Camunda Modeler's colours", once(bpmn, 'xmlns:zeebe=', 'xmlns:bioc="http://bpmn.io/schema/bpmn/biocolor/1.0" xmlns:color="http://www.omg.org/spec/BPMN/non-normative/color/1.0" xmlns:zeebe=')],
    ['a dollar sign in a rule description', once(dmn, '<description>', '<description>收费 $ 100 ')],
  ])('passes %s', (_what, xml) => {
    expect(unsafeModelParts(xml)).toEqual([]);
  });

  it.each([
    ['JUEL on a decision input', juelInput, 'expressionLanguage="juel": only FEEL'],
    ['JavaScript on an output entry', once(dmn, '<outputEntry id=', '<outputEntry expressionLanguage="javascript" id='), 'expressionLanguage="javascript": only FEEL'],
    ['Groovy for the whole decision file', once(dmn, '<definitions ', '<definitions expressionLanguage="groovy" '), 'expressionLanguage="groovy"'],
    ["Camunda 7's DMN extensions", once(dmn, '<definitions ', '<definitions xmlns:camunda="http://camunda.org/schema/1.0/dmn" '), 'namespace "camunda" http://camunda.org/schema/1.0/dmn is not allowed: Camunda 7\'s extensions'],
    ['an execution listener', withCamunda(once(bpmn, '<bpmn:serviceTask id="answer-now" name="当即答复 answer now">', '<bpmn:serviceTask id="answer-now" name="当即答复 answer now" camunda:asyncBefore="true">')), 'namespace "camunda" http://camunda.org/schema/1.0/bpmn is not allowed'],
    ["Camunda 7's namespace under another prefix", once(bpmn, 'xmlns:zeebe=', 'xmlns:c7="http://camunda.org/schema/1.0/bpmn" xmlns:zeebe='), 'namespace "c7" http://camunda.org/schema/1.0/bpmn'],
    ["Camunda 7's namespace as an element's default", once(bpmn, '<bpmn:extensionElements>', '<bpmn:extensionElements><executionListener xmlns="http://camunda.org/schema/1.0/bpmn" event="start" class="java.lang.Runtime" />'), 'namespace http://camunda.org/schema/1.0/bpmn is not allowed'],
    ['an unknown namespace', once(bpmn, 'xmlns:zeebe=', "xmlns:x='urn:example:anything' xmlns:zeebe="), 'namespace "x" urn:example:anything is not allowed in a model'],
    ['a JUEL timer date', once(read('handle-order.bpmn'), '=acknowledgeBy</bpmn:timeDate>', '${execution.getProcessEngineServices()}</bpmn:timeDate>'), '"${" starts a Camunda 7 expression (JUEL)'],
    ['JUEL written as character references', once(bpmn, '<bpmn:process ', '<bpmn:process name="&#36;{x}" '), '"${" starts a Camunda 7 expression'],
    ['deferred JUEL in hexadecimal references', once(dmn, '<description>', '<description>&#x23;&#x7b;bean.run()}'), '"#{" starts a Camunda 7 expression'],
    ['a script condition', once(bpmn, '<bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">', '<bpmn:conditionExpression xsi:type="bpmn:tFormalExpression" language="javascript">'), 'language="javascript": only FEEL'],
    ['a script format', once(bpmn, '<bpmn:process ', '<bpmn:process scriptFormat="groovy" '), 'scriptFormat="groovy": only FEEL'],
    ['a DOCTYPE with an entity', once(dmn, '<definitions ', '<!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]><definitions '), 'a <!DOCTYPE> is not allowed'],
  ])('refuses %s', (_what, xml, expected) => {
    expect(unsafeModelParts(xml).join('\n')).toContain(expected);
  });
});

describe('where a model enters', () => {
  const catalog = loadCatalog(path.join(projectRoot, 'config', 'catalog.json'));
  const ctx = { catalog, servedTypes: Object.keys(workers) };

  it('a person deploying a decision table with JUEL in it is told why, before anything parses it', async () => {
    expect(await checkModel('dispatch.dmn', dmn, { ...ctx, current: dmn })).toEqual([]);
    const problems = await checkModel('dispatch.dmn', juelInput, { ...ctx, current: dmn });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^line \d+: expressionLanguage="juel": only FEEL is allowed/);
  });

  it('a person deploying a process with a Camunda 7 listener is told why', async () => {
    const xml = withCamunda(once(bpmn, '<bpmn:extensionElements>', '<bpmn:extensionElements><camunda:executionListener event="start" expression="${true}" />'));
    const problems = await checkModel('work-order.bpmn', xml, { ...ctx, current: bpmn });
    expect(problems.join('\n')).toContain('namespace "camunda" http://camunda.org/schema/1.0/bpmn is not allowed');
    expect(problems.join('\n')).toContain('"${" starts a Camunda 7 expression');
  });

  it('says what an input expression change is, not "layout or documentation only"', async () => {
    const changed = once(dmn, '<text>category</text>', '<text>upper case(category)</text>');
    expect(await describeChange('dispatch.dmn', dmn, changed)).toEqual(['~ dispatch input 类别 category: reads category → upper case(category)']);
  });

  it('the converter carries none of it to Camunda 7, and a decision with it never reaches the engine', async () => {
    await expect(convertToCamunda7(bpmn, 'work-order.bpmn')).resolves.toContain('camunda:topic=');
    const listener = withCamunda(once(bpmn, '<bpmn:extensionElements>', '<bpmn:extensionElements><camunda:executionListener event="start" class="org.example.Evil" />'));
    const err = await convertToCamunda7(listener, 'work-order.bpmn').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ModelConversionError);
    expect((err as ModelConversionError).problems.join('\n')).toContain('http://camunda.org/schema/1.0/bpmn is not allowed');
    // Refused before any request: port 9 (discard) would have made it a RetriableError instead.
    const deploy = await deployModelsCamunda7({ url: 'http://127.0.0.1:9/engine-rest', headers: {} }, [{ name: 'dispatch.dmn', content: juelInput }], createLogger('silent')).catch((e: unknown) => e);
    expect(deploy).toBeInstanceOf(UnsafeModelError);
    expect((deploy as UnsafeModelError).message).toContain('dispatch.dmn is not deployed: line');
  });
});
