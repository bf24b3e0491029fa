/**
 * 重复件 (合并): one matter is one order, however many calls it brings. A request repeats an open
 * order when it comes from the same caller about the same matter at the same place within a few
 * days — or from another caller about the same matter at the same place (or within a radius of it,
 * where both have coordinates) within a shorter window. A repeat is linked to the open order
 * instead of being dispatched again, and counted (the repeat-call rate); a matter that keeps
 * coming back is reported up (层级上报: supervision, then the leaders) at the counts the policy
 * sets. The rule is the centre's (config/repeats.json). Pure: the store finds the candidates, this
 * decides.
 */
import { z } from 'zod';
import { readJsonFile } from './json-file.js';

const hours = z.number().min(0).max(24 * 90);
const similarity = z.number().min(0).max(1);
const code = z.string().regex(/^[a-z0-9-]+$/);

export const ESCALATION_LEVELS = ['supervision', 'leaders'] as const;
export type EscalationLevel = (typeof ESCALATION_LEVELS)[number];

export const repeatsSchema = z.strictObject({
  $comment: z.string().optional(),
  /** The same phone: within these hours, this alike an address (0 hours: not merged). */
  sameCaller: z.strictObject({ windowHours: hours, minAddressSimilarity: similarity }),
  /** Another phone: a shorter window, a closer address or a radius in metres; only these categories when listed. */
  otherCallers: z
    .strictObject({
      windowHours: hours,
      minAddressSimilarity: similarity,
      radiusMeters: z.number().int().min(0).max(5000),
      categories: z.array(code).min(1).optional(),
      /** Only requests of these types, both the new one and the open order (a consultation asks, it reports no matter). */
      types: z.array(z.enum(['consultation', 'help', 'complaint', 'report', 'suggestion', 'praise'])).min(1).optional(),
    })
    .nullable()
    .default(null),
  /** 层级上报: when an open order's repeat calls reach a count, who is told. */
  escalation: z
    .array(z.strictObject({ repeats: z.number().int().min(1).max(1000), level: z.enum(ESCALATION_LEVELS) }))
    .default([])
    .refine((xs) => xs.every((x, i) => i === 0 || x.repeats > xs[i - 1]!.repeats), 'escalation: the counts must rise from one level to the next'),
});
export type RepeatsFile = z.output<typeof repeatsSchema>;

export interface RepeatPolicy {
  sameCaller: { windowMs: number; minAddressSimilarity: number };
  otherCallers: { windowMs: number; minAddressSimilarity: number; radiusMeters: number; categories?: readonly string[]; types?: readonly string[] } | null;
  escalation: ReadonlyArray<{ repeats: number; level: EscalationLevel }>;
}

export const policyOf = (f: RepeatsFile): RepeatPolicy => ({
  sameCaller: { windowMs: f.sameCaller.windowHours * 3600_000, minAddressSimilarity: f.sameCaller.minAddressSimilarity },
  otherCallers: f.otherCallers && { windowMs: f.otherCallers.windowHours * 3600_000, minAddressSimilarity: f.otherCallers.minAddressSimilarity, radiusMeters: f.otherCallers.radiusMeters, ...(f.otherCallers.categories ? { categories: f.otherCallers.categories } : {}), ...(f.otherCallers.types ? { types: f.otherCallers.types } : {}) },
  escalation: f.escalation,
});

/** Nothing is merged and nothing reported up: REPEATS_FILE=off. */
export const NO_REPEATS: RepeatPolicy = { sameCaller: { windowMs: 0, minAddressSimilarity: 1 }, otherCallers: null, escalation: [] };

export function loadRepeats(file: string, categories: ReadonlyArray<{ code: string }>): RepeatPolicy {
  const f = readJsonFile(file, 'REPEATS_FILE', repeatsSchema);
  const unknown = (f.otherCallers?.categories ?? []).filter((c) => !categories.some((x) => x.code === c));
  if (unknown.length > 0) throw new Error(`REPEATS_FILE ${file}: otherCallers.categories names categories the catalog does not have: ${unknown.join(', ')}`);
  return policyOf(f);
}

/** How far back any rule of the policy looks: the store's candidates are the open orders since then. */
export const lookBackMs = (p: RepeatPolicy): number => Math.max(p.sameCaller.windowMs, p.otherCallers?.windowMs ?? 0);

/** Full-width to half-width, no spaces or punctuation, lower case: 河西区 友谊路１号（3单元） → 河西区友谊路1号3单元. */
export const normalizeAddress = (a: string): string =>
  a
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s\p{P}\p{S}]/gu, '');

const bigrams = (s: string): Map<string, number> => {
  const m = new Map<string, number>();
  for (let i = 0; i < s.length - 1; i++) m.set(s.slice(i, i + 2), (m.get(s.slice(i, i + 2)) ?? 0) + 1);
  return m;
};

/** 1 for the same place written alike, or one address inside the other (a flat in a building); else the Dice coefficient of their bigrams. */
export function addressSimilarity(a: string, b: string): number {
  const x = normalizeAddress(a);
  const y = normalizeAddress(b);
  if (!x || !y) return 0;
  if (x === y || x.includes(y) || y.includes(x)) return 1;
  const bx = bigrams(x);
  const by = bigrams(y);
  let shared = 0;
  for (const [g, n] of bx) shared += Math.min(n, by.get(g) ?? 0);
  const total = Math.max(x.length - 1, 0) + Math.max(y.length - 1, 0);
  return total > 0 ? (2 * shared) / total : 0;
}

/**
 * Whether two addresses name the same numbers (road, building, unit): one's numbers the start of
 * the other's (a flat inside a building). 友谊路1号 and 友谊路11号 are alike as text, not one place.
 */
export function numbersAgree(a: string, b: string): boolean {
  const nums = (s: string) => normalizeAddress(s).match(/\d+/g) ?? [];
  const [x, y] = [nums(a), nums(b)];
  const [short, long] = x.length <= y.length ? [x, y] : [y, x];
  return short.every((n, i) => long[i] === n);
}

export interface Place {
  lat: number;
  lng: number;
}

/** Metres between two points (haversine; a city's distances, so the earth's radius as one number is enough). */
export function metresBetween(a: Place, b: Place): number {
  const rad = (d: number) => (d * Math.PI) / 180;
  const h = Math.sin(rad(b.lat - a.lat) / 2) ** 2 + Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(rad(b.lng - a.lng) / 2) ** 2;
  return 2 * 6_371_000 * Math.asin(Math.min(1, Math.sqrt(h)));
}

export interface RepeatCandidate {
  orderNo: string;
  type?: string;
  citizenPhone: string;
  category: string;
  district: string;
  address: string;
  createdAt: Date;
  lat?: number | null;
  lng?: number | null;
}

export interface RepeatRequest {
  phone: string;
  type?: string;
  category: string;
  district: string;
  address: string;
  location?: Place | null;
}

export type RepeatMatch<C extends RepeatCandidate = RepeatCandidate> = C & { by: 'same-caller' | 'other-caller' };

const digits = (p: string): string => p.replace(/\D/g, '');
const placeOf = (c: RepeatCandidate): Place | null => (c.lat != null && c.lng != null ? { lat: Number(c.lat), lng: Number(c.lng) } : null);

/**
 * The open order a new request repeats, if any: the same caller's first (same category and
 * district, a like address, within its window), else another caller's (a closer address or within
 * the radius, within the shorter window); the closest, then the newest.
 */
export function findRepeat<C extends RepeatCandidate>(request: RepeatRequest, candidates: readonly C[], policy: RepeatPolicy, now: Date): RepeatMatch<C> | undefined {
  const phone = digits(request.phone);
  const sameMatter = candidates.filter((c) => c.category === request.category && c.district === request.district);
  const within = (c: C, ms: number) => ms > 0 && now.getTime() - c.createdAt.getTime() <= ms;
  const best = (scored: Array<{ c: C; s: number }>) => scored.sort((a, b) => b.s - a.s || b.c.createdAt.getTime() - a.c.createdAt.getTime())[0]?.c;

  const same = best(
    sameMatter
      .filter((c) => digits(c.citizenPhone) === phone && within(c, policy.sameCaller.windowMs))
      .map((c) => ({ c, s: addressSimilarity(c.address, request.address) }))
      .filter(({ s }) => s >= policy.sameCaller.minAddressSimilarity),
  );
  if (same) return { ...same, by: 'same-caller' };

  const o = policy.otherCallers;
  if (!o || (o.categories && !o.categories.includes(request.category))) return undefined;
  const typed = (t: string | undefined) => !o.types || (t !== undefined && o.types.includes(t));
  if (!typed(request.type)) return undefined;
  const here = request.location ?? null;
  const other = best(
    sameMatter
      .filter((c) => digits(c.citizenPhone) !== phone && within(c, o.windowMs) && typed(c.type))
      .map((c) => {
        const there = placeOf(c);
        // Near by the map counts as the same place; the address decides where either has no point,
        // with the same numbers (another caller at 11号 is not at 1号).
        const near = here && there && o.radiusMeters > 0 ? metresBetween(here, there) <= o.radiusMeters : false;
        return { c, s: near ? 1 : numbersAgree(c.address, request.address) ? addressSimilarity(c.address, request.address) : 0 };
      })
      .filter(({ s }) => s >= o.minAddressSimilarity),
  );
  return other ? { ...other, by: 'other-caller' } : undefined;
}

/** 层级上报: the level an open order reaches with this many repeat calls, if the count is one the policy names. */
export const escalationAt = (p: RepeatPolicy, repeats: number): EscalationLevel | undefined => p.escalation.find((e) => e.repeats === repeats)?.level;
