/**
 * 值班 (duty rota): the centre's duty leaders by date and shift. Every escalation — 督办, an
 * emergency hand-over, a task left open, repeated redos, a circular, a supervision notice — goes to
 * whoever is on duty when it happens; where the rota has a gap, to the catalogue's standing
 * address (config/catalog.json centre.dutyLeaderEmail), and the gap is shown and alerted on.
 * Pure: shifts in, the one on duty or the refusal out.
 */
export interface Shift {
  id: string;
  /** The first instant of the shift and the instant after its last. */
  startsAt: Date;
  endsAt: Date;
  leaderName: string;
  leaderEmail: string;
  leaderPhone: string | null;
}

export type NewShift = Omit<Shift, 'id'>;

/** The longest shift a rota takes: a week (a shift is a day, a night, or a weekend). */
export const MAX_SHIFT_MS = 7 * 86_400_000;

/** The shift on duty at an instant: it starts at or before it and ends after it. */
export const shiftAt = <S extends Pick<Shift, 'startsAt' | 'endsAt'>>(shifts: readonly S[], at: Date): S | null => shifts.find((s) => s.startsAt.getTime() <= at.getTime() && at.getTime() < s.endsAt.getTime()) ?? null;

/**
 * Why a shift cannot be added to the rota, or null: it ends before it starts, lasts longer than a
 * week, or overlaps a shift already there (one leader on duty at a time: an escalation must not
 * depend on which of two rows a query meets first).
 */
export function shiftRefusal(s: Pick<Shift, 'startsAt' | 'endsAt'>, existing: ReadonlyArray<Pick<Shift, 'id' | 'startsAt' | 'endsAt' | 'leaderName'>>): { code: 'SHIFT_INVALID' | 'SHIFT_OVERLAPS'; message: string } | null {
  if (!(s.startsAt < s.endsAt)) return { code: 'SHIFT_INVALID', message: `a shift must end after it starts (${s.startsAt.toISOString()} to ${s.endsAt.toISOString()})` };
  if (s.endsAt.getTime() - s.startsAt.getTime() > MAX_SHIFT_MS) return { code: 'SHIFT_INVALID', message: 'a shift lasts at most 7 days' };
  const clash = existing.find((e) => e.startsAt < s.endsAt && s.startsAt < e.endsAt);
  return clash ? { code: 'SHIFT_OVERLAPS', message: `the shift overlaps shift ${clash.id} (${clash.leaderName}, ${clash.startsAt.toISOString()} to ${clash.endsAt.toISOString()})` } : null;
}

/**
 * The gaps in a rota over a window: each span nobody is on duty, in order. The console shows them;
 * the metrics export how soon the next one starts.
 */
export function rotaGaps(shifts: ReadonlyArray<Pick<Shift, 'startsAt' | 'endsAt'>>, from: Date, to: Date): Array<{ from: Date; to: Date }> {
  const gaps: Array<{ from: Date; to: Date }> = [];
  let cursor = from.getTime();
  for (const s of [...shifts].sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime())) {
    if (s.endsAt.getTime() <= cursor) continue;
    if (s.startsAt.getTime() >= to.getTime()) break;
    if (s.startsAt.getTime() > cursor) gaps.push({ from: new Date(cursor), to: s.startsAt });
    cursor = Math.max(cursor, s.endsAt.getTime());
  }
  if (cursor < to.getTime()) gaps.push({ from: new Date(cursor), to });
  return gaps;
}
