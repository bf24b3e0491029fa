import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../../infra/config.js';
import { convertToCamunda7, feelConditionToJuel, feelKeyToJuel, feelTimerToJuel, lintForCamunda7, ModelConversionError } from '../../../infra/engine/camunda7-model.js';
import { modelFiles } from '../../../infra/engine/deploy.js';

const v = (name: string): string => `execution.getVariable('${name}')`;

describe('FEEL to JUEL, in the subset the models use', () => {
  it.each([
    ['=dispatch.mode = "answer-now"', `\${${v('dispatch')}.mode == 'answer-now'}`],
    ['=needsDispatcher = true', `\${${v('needsDispatcher')} == true}`],
    ['=satisfaction = "unsatisfied" and redoCount < 1', `\${${v('satisfaction')} == 'unsatisfied' && ${v('redoCount')} < 1}`],
    ['= a != null or (b >= 2.5 and not(c))', `\${${v('a')} != null || (${v('b')} >= 2.5 && !(${v('c')}))}`],
    ['="it\'s"', `\${'it\\'s'}`],
  ])('condition %s', (feel, juel) => {
    expect(feelConditionToJuel(feel)).toBe(juel);
  });

  it.each([
    ['=correlationId + ":reply:" + string(redoCount)', `\${${v('correlationId')}}:reply:\${${v('redoCount')}}`],
    ['=correlationId + ":assign"', `\${${v('correlationId')}}:assign`],
    ['=order.no', `\${${v('order')}.no}`],
  ])('correlation key %s', (feel, juel) => {
    expect(feelKeyToJuel(feel)).toBe(juel);
  });

  it('carries a timer that names a variable, and a literal ISO 8601 text as it is', () => {
    expect(feelTimerToJuel('=dueAt')).toBe(`\${${v('dueAt')}}`);
    expect(feelTimerToJuel('PT30M')).toBe('PT30M');
  });

  it.each([
    ['dispatch.mode = "x"', /must start with "="/],
    ['=count(items) > 1', /"\(" is not in the FEEL/],
    ['=a = "open', /not closed/],
    ['=a in [1, 2]', /"\[" is not in the FEEL/],
    ['=a = ', /ends too early/],
    ['=x + 1', /"\+" is not in the FEEL/],
  ])('refuses %s, saying why', (feel, why) => {
    expect(() => feelConditionToJuel(feel)).toThrow(why);
  });

  it('refuses a key text that JUEL would read as an expression', () => {
    expect(() => feelKeyToJuel('=id + "${x}"')).toThrow(/may not contain/);
  });
});

const model = (body: string, extra = ''): string => `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" id="d" targetNamespace="http://test">
  <bpmn:process id="p" isExecutable="true">${body}</bpmn:process>${extra}
</bpmn:definitions>`;

describe('the Zeebe models carried to Camunda 7', () => {
  it('converts every model in bpmn/: external tasks named after the task types, nothing of Zeebe left, a history time to live', async () => {
    for (const file of modelFiles(path.join(projectRoot, 'bpmn')).filter((f) => f.endsWith('.bpmn'))) {
      const zeebeXml = fs.readFileSync(file, 'utf8');
      const c7 = await convertToCamunda7(zeebeXml, path.basename(file));
      const types = [...zeebeXml.matchAll(/<zeebe:taskDefinition type="([^"]+)"/g)].map((m) => m[1]);
      const topics = [...c7.matchAll(/camunda:topic="([^"]+)"/g)].map((m) => m[1]);
      expect(topics.sort(), path.basename(file)).toEqual(types.sort());
      expect(c7).not.toMatch(/zeebe/);
      expect(c7).toMatch(/camunda:historyTimeToLive="P180D"/);
      expect(c7).not.toMatch(/="=/); // no FEEL left behind
    }
  });

  it.each([
    ['a user task', model('<bpmn:userTask id="approve" name="审批" />'), /UserTask "approve" \(审批\): a UserTask is not carried/],
    ['an input mapping', model('<bpmn:serviceTask id="t"><bpmn:extensionElements><zeebe:taskDefinition type="x" /><zeebe:ioMapping><zeebe:input source="=a" target="b" /></zeebe:ioMapping></bpmn:extensionElements></bpmn:serviceTask>'), /ServiceTask "t": zeebe:ioMapping is not carried/],
    ['a task type from an expression', model('<bpmn:serviceTask id="t"><bpmn:extensionElements><zeebe:taskDefinition type="=kind" /></bpmn:extensionElements></bpmn:serviceTask>'), /ServiceTask "t": a task type given by an expression/],
    ['a service task without a type', model('<bpmn:serviceTask id="t" />'), /ServiceTask "t": needs a zeebe:taskDefinition type/],
    ['a condition beyond the subset', model('<bpmn:exclusiveGateway id="g" /><bpmn:endEvent id="e" /><bpmn:sequenceFlow id="f" sourceRef="g" targetRef="e"><bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">=list contains(xs, 1)</bpmn:conditionExpression></bpmn:sequenceFlow>'), /SequenceFlow "f": condition "=list contains\(xs, 1\)"/],
    ['a message boundary event', model('<bpmn:receiveTask id="w" messageRef="m" /><bpmn:boundaryEvent id="b" attachedToRef="w"><bpmn:messageEventDefinition messageRef="m" /></bpmn:boundaryEvent>', '<bpmn:message id="m" name="m"><bpmn:extensionElements><zeebe:subscription correlationKey="=k" /></bpmn:extensionElements></bpmn:message>'), /BoundaryEvent "b": a message event other than the start/],
    ['a receive task without a key', model('<bpmn:receiveTask id="w" messageRef="m" />', '<bpmn:message id="m" name="m" />'), /ReceiveTask "w": waits for a message without a zeebe:subscription correlationKey/],
    ['a call activity with output mappings only', model('<bpmn:callActivity id="c"><bpmn:extensionElements><zeebe:calledElement processId="child" propagateAllChildVariables="false" /></bpmn:extensionElements></bpmn:callActivity>'), /CallActivity "c": propagateAllChildVariables="false"/],
    ['a call activity naming its process by expression', model('<bpmn:callActivity id="c"><bpmn:extensionElements><zeebe:calledElement processId="=which" /></bpmn:extensionElements></bpmn:callActivity>'), /CallActivity "c": needs a zeebe:calledElement with a fixed processId/],
    ['an event sub-process', model('<bpmn:subProcess id="s" triggeredByEvent="true" />'), /SubProcess "s": an event sub-process/],
    ['what a sub-process holds', model('<bpmn:subProcess id="s"><bpmn:userTask id="inner" /></bpmn:subProcess>'), /UserTask "inner": a UserTask is not carried/],
  ])('refuses %s, naming the element', async (_what, xml, problem) => {
    const problems = await lintForCamunda7(xml);
    expect(problems.join('\n')).toMatch(problem);
    await expect(convertToCamunda7(xml, 'x.bpmn')).rejects.toBeInstanceOf(ModelConversionError);
  });
});

describe('sub-processes and call activities', () => {
  it('carries a call activity with every variable in and out and the business key passed on, and converts what an embedded sub-process holds', async () => {
    const c7 = await convertToCamunda7(
      model(`<bpmn:callActivity id="c"><bpmn:extensionElements><zeebe:calledElement processId="child" propagateAllChildVariables="true" /></bpmn:extensionElements></bpmn:callActivity>
        <bpmn:subProcess id="s"><bpmn:serviceTask id="inner"><bpmn:extensionElements><zeebe:taskDefinition type="inner-task" /></bpmn:extensionElements></bpmn:serviceTask>
          <bpmn:intermediateCatchEvent id="t"><bpmn:timerEventDefinition><bpmn:timeDate xsi:type="bpmn:tFormalExpression">=remindAt</bpmn:timeDate></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent></bpmn:subProcess>`),
      'x.bpmn',
    );
    expect(c7).toMatch(/<bpmn:callActivity id="c" calledElement="child">/);
    expect(c7).toMatch(/<camunda:in variables="all" \/>/);
    expect(c7).toMatch(/<camunda:in businessKey="#\{execution.processBusinessKey\}" \/>/);
    expect(c7).toMatch(/<camunda:out variables="all" \/>/);
    expect(c7).toMatch(/<bpmn:serviceTask id="inner" camunda:type="external" camunda:topic="inner-task"/);
    expect(c7).toContain(`\${${v('remindAt')}}`);
    expect(c7).not.toMatch(/zeebe/);
  });
});

describe('multi-instance (co-handling: one branch per helper unit)', () => {
  const mi = (loop: string) => model(`<bpmn:subProcess id="each"><bpmn:multiInstanceLoopCharacteristics>${loop}</bpmn:multiInstanceLoopCharacteristics>
    <bpmn:serviceTask id="inner"><bpmn:extensionElements><zeebe:taskDefinition type="inner-task" /></bpmn:extensionElements></bpmn:serviceTask></bpmn:subProcess>`);
  it('carries a parallel multi-instance over a list variable, each instance with its item', async () => {
    const c7 = await convertToCamunda7(mi('<bpmn:extensionElements><zeebe:loopCharacteristics inputCollection="=helpers" inputElement="helper" /></bpmn:extensionElements>'), 'x.bpmn');
    expect(c7).toContain(`camunda:collection="\${${v('helpers').replace(/'/g, '&#39;')}}"`);
    expect(c7).toContain('camunda:elementVariable="helper"');
    expect(c7).toMatch(/<bpmn:serviceTask id="inner" camunda:type="external" camunda:topic="inner-task"/);
    expect(c7).not.toMatch(/zeebe/);
  });
  it.each([
    ['no input collection', '<bpmn:extensionElements><zeebe:loopCharacteristics inputElement="helper" /></bpmn:extensionElements>', /needs zeebe:loopCharacteristics inputCollection and inputElement/],
    ['an output collection', '<bpmn:extensionElements><zeebe:loopCharacteristics inputCollection="=helpers" inputElement="helper" outputCollection="results" outputElement="=r" /></bpmn:extensionElements>', /output collection is not carried/],
    ['a completion condition', '<bpmn:extensionElements><zeebe:loopCharacteristics inputCollection="=helpers" inputElement="helper" /></bpmn:extensionElements><bpmn:completionCondition xsi:type="bpmn:tFormalExpression">=done</bpmn:completionCondition>', /completion condition is not carried/],
    ['a computed collection', '<bpmn:extensionElements><zeebe:loopCharacteristics inputCollection="=append(a, b)" inputElement="helper" /></bpmn:extensionElements>', /inputCollection "=append\(a, b\)"/],
  ])('refuses %s, naming the element', async (_what, loop, problem) => {
    expect((await lintForCamunda7(mi(loop))).join('\n')).toMatch(problem);
  });
});

