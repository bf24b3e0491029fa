/**
 * 重复件 (合并): the same caller about the same matter at the same place within a few days is one
 * order, not two. A repeat call links to the open order instead of being dispatched again, and is
 * counted (the repeat-call rate). Pure: the store finds the candidates, this decides.
 */

export interface RepeatPolicy {
  /** How far back an open order still takes repeat calls. */
  windowMs: number;
  /** How alike two addresses must be (0–1, character bigrams) to be "the same place". */
  minAddressSimilarity: number;
}

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

export interface RepeatCandidate {
  orderNo: string;
  citizenPhone: string;
  category: string;
  district: string;
  address: string;
  createdAt: Date;
}

/** The open order a new request repeats, if any: same phone, category and district, a like address, within the window; the closest, then the newest. */
export function findRepeat(
  request: { phone: string; category: string; district: string; address: string },
  candidates: readonly RepeatCandidate[],
  policy: RepeatPolicy,
  now: Date,
): RepeatCandidate | undefined {
  if (policy.windowMs <= 0) return undefined;
  const phone = request.phone.replace(/\D/g, '');
  return candidates
    .filter((c) => c.citizenPhone.replace(/\D/g, '') === phone && c.category === request.category && c.district === request.district)
    .filter((c) => now.getTime() - c.createdAt.getTime() <= policy.windowMs)
    .map((c) => ({ c, s: addressSimilarity(c.address, request.address) }))
    .filter(({ s }) => s >= policy.minAddressSimilarity)
    .sort((a, b) => b.s - a.s || b.c.createdAt.getTime() - a.c.createdAt.getTime())[0]?.c;
}
