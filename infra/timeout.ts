import { RetriableError } from './errors.js';

/** Settles with `p`, or rejects with a retriable error once `ms` have passed: no call hangs. */
export function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new RetriableError(`${what} did not answer within ${ms} ms`, { code: 'TIMEOUT' })), ms);
  });
  return Promise.race([p, expired]).finally(() => clearTimeout(timer));
}

/** Runs `fn` over `items` with at most `limit` at a time; results in the items' order. */
export async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]!);
      }
    }),
  );
  return out;
}

/**
 * `fn` shared by its callers: one call in flight at a time, and its answer reused for `ms` after
 * it settles (a rejection too). For reads anyone may ask for as often as they like (anonymous
 * /readyz, a dashboard's figures) whose cost falls on a dependency.
 */
export function sharedFor<T>(ms: number, fn: () => Promise<T>, now: () => number = Date.now): () => Promise<T> {
  let last: { p: Promise<T>; settledAt: number | null } | null = null;
  return () => {
    if (last && (last.settledAt === null || now() - last.settledAt < ms)) return last.p;
    const entry: { p: Promise<T>; settledAt: number | null } = { p: fn(), settledAt: null };
    const settle = () => {
      entry.settledAt = now();
    };
    entry.p.then(settle, settle);
    last = entry;
    return entry.p;
  };
}
