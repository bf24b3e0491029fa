// Types of console/actors.js (plain ES module, served as is), for the tests that import it.
export function actorName(actor: string | null | undefined, roles: Record<string, string>, unitName?: (code: string) => string | undefined): string;
