// The path an instance took through a process, from what the hub saw of it: the jobs it ran and the
// timers that fired, in order. Between two of them the engine passed elements that run no job —
// gateways, events, receive tasks, call activities, DMN decisions — and the sequence flows joining them: the
// shortest way from one to the next through such elements is marked as taken. No I/O:
// test/console/path.unit.test.ts runs it.

/**
 * Elements where a worker runs a job: the path is found between these, never through them. A
 * business rule task is not among them: the engine evaluates its DMN itself, and no job is seen.
 */
const WORKED = new Set(['bpmn:ServiceTask', 'bpmn:SendTask', 'bpmn:ScriptTask', 'bpmn:UserTask', 'bpmn:ManualTask', 'bpmn:Task']);

/** The shortest way from `from` to `to` through elements that run no job: the flows and elements in between, or null. */
function between(graph, from, to) {
  const seen = new Map([[from, null]]);
  const queue = [from];
  while (queue.length > 0) {
    const at = queue.shift();
    for (const { flow, to: next } of graph.get(at)?.next ?? []) {
      if (seen.has(next)) continue;
      seen.set(next, { from: at, flow });
      if (next === to) {
        const nodes = [];
        const flows = [];
        for (let x = to; x !== from; x = seen.get(x).from) {
          flows.push(seen.get(x).flow);
          if (x !== to) nodes.push(x);
        }
        return { nodes, flows };
      }
      if (!WORKED.has(graph.get(next)?.type)) queue.push(next);
    }
  }
  return null;
}

/**
 * `graph`: element id → { type, next: [{ flow, to }] }; `visits`: element ids in the order the hub
 * saw them; `ended`: the instance is over (the way on to an end event is marked too). Gives the
 * elements and flows taken.
 */
export function pathOf(graph, visits, { ended = false } = {}) {
  const nodes = new Set(visits.filter((id) => graph.has(id)));
  const flows = new Set();
  const take = (p) => {
    if (!p) return false;
    for (const n of p.nodes) nodes.add(n);
    for (const f of p.flows) flows.add(f);
    return true;
  };
  const seen = visits.filter((id) => graph.has(id));
  const starts = [...graph].filter(([, e]) => e.type === 'bpmn:StartEvent').map(([id]) => id);
  if (seen.length > 0) {
    for (const s of starts) if (take(between(graph, s, seen[0]))) nodes.add(s);
  }
  for (let i = 1; i < seen.length; i++) take(between(graph, seen[i - 1], seen[i]));
  if (ended && seen.length > 0) {
    const ends = [...graph].filter(([, e]) => e.type === 'bpmn:EndEvent').map(([id]) => id);
    for (const e of ends) if (take(between(graph, seen.at(-1), e))) {
      nodes.add(e);
      break;
    }
  }
  return { nodes, flows };
}
