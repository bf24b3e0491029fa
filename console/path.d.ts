// Types of console/path.js (plain ES module, served as is), for the tests that import it.
export type PathGraph = Map<string, { type: string; next: Array<{ flow: string; to: string }> }>;
export function pathOf(graph: PathGraph, visits: string[], opts?: { ended?: boolean }): { nodes: Set<string>; flows: Set<string> };
