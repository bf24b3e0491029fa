// Types of console/trace.js (plain ES module, served as is), for the tests that import it.
export const SOURCE: Record<string, string>;
export function traceLine(e: { source: string; what?: string; detail?: Record<string, unknown> }, names: { STEP: Record<string, string>; JOB: Record<string, string>; TASK: Record<string, string>; ROLE: Record<string, string> }, who?: (actor: string) => string): string;
