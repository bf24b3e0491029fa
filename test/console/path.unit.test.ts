/** The path the console marks on a process diagram (console/path.js), from the jobs and timers the hub saw. */
import { describe, expect, it } from 'vitest';
import { pathOf, type PathGraph } from '../../console/path.js';

// start → decide (DMN, no job) → classify → gateway ─(dispatch)→ dispatch → wait-reply (receive task) → review → end
//                           └(answer)──→ answer → end2
// dispatch has a timer boundary event (chase) → chase → wait-reply
const graph: PathGraph = new Map([
  ['start', { type: 'bpmn:StartEvent', next: [{ flow: 'f0', to: 'decide' }] }],
  ['decide', { type: 'bpmn:BusinessRuleTask', next: [{ flow: 'f1', to: 'classify' }] }],
  ['classify', { type: 'bpmn:ServiceTask', next: [{ flow: 'f2', to: 'gw' }] }],
  ['gw', { type: 'bpmn:ExclusiveGateway', next: [{ flow: 'f3', to: 'dispatch' }, { flow: 'f4', to: 'answer' }] }],
  ['dispatch', { type: 'bpmn:ServiceTask', next: [{ flow: 'f5', to: 'wait-reply' }] }],
  ['wait-reply', { type: 'bpmn:ReceiveTask', next: [{ flow: 'f6', to: 'review' }] }],
  ['review', { type: 'bpmn:ServiceTask', next: [{ flow: 'f7', to: 'end' }] }],
  ['end', { type: 'bpmn:EndEvent', next: [] }],
  ['answer', { type: 'bpmn:ServiceTask', next: [{ flow: 'f8', to: 'end2' }] }],
  ['end2', { type: 'bpmn:EndEvent', next: [] }],
  ['timer', { type: 'bpmn:BoundaryEvent', next: [{ flow: 'f9', to: 'chase' }] }],
  ['chase', { type: 'bpmn:ServiceTask', next: [{ flow: 'f10', to: 'wait-reply' }] }],
]);

describe('the path on the diagram', () => {
  it('marks the DMN decision, the gateway, the receive task and the flows between the jobs, the start before them and the end after an ended instance', () => {
    const { nodes, flows } = pathOf(graph, ['classify', 'dispatch', 'review'], { ended: true });
    expect([...nodes].sort()).toEqual(['classify', 'decide', 'dispatch', 'end', 'gw', 'review', 'start', 'wait-reply']);
    expect([...flows].sort()).toEqual(['f0', 'f1', 'f2', 'f3', 'f5', 'f6', 'f7']);
  });

  it('leaves the branch not taken and, for a running instance, the way to the end', () => {
    const { nodes, flows } = pathOf(graph, ['classify', 'dispatch']);
    expect(nodes.has('answer')).toBe(false);
    expect(nodes.has('wait-reply')).toBe(false);
    expect(flows.has('f4')).toBe(false);
    expect(nodes.has('end')).toBe(false);
  });

  it('goes through a timer that fired, and never through a job the hub did not see run', () => {
    const { nodes, flows } = pathOf(graph, ['classify', 'dispatch', 'timer', 'chase', 'review']);
    expect(nodes.has('timer')).toBe(true);
    expect(flows.has('f9') && flows.has('f10') && flows.has('f6')).toBe(true);
    // From classify to review there is no way around dispatch: nothing is invented.
    expect(pathOf(graph, ['classify', 'review']).nodes.has('wait-reply')).toBe(false);
  });

  it('ignores what the diagram does not hold (another version\'s element)', () => {
    expect([...pathOf(graph, ['gone', 'classify']).nodes].sort()).toEqual(['classify', 'decide', 'start']);
  });
});
