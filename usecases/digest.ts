/**
 * 群众来电摘报: every morning, from DIGEST_HOUR (China time), the digest of the day before is made
 * from the orders, kept, and mailed to the centre's leaders (DIGEST_EMAILS, else the duty leader on
 * duty) — once, whichever of the hub's processes gets there first. Run by the workers role every
 * DIGEST_SWEEP_MS; a sweep that fails is logged and the next one tries again.
 */
import type { Catalog } from '../domain/catalog.js';
import { digestText } from '../domain/digest.js';
import { CHINA_OFFSET_MS, chinaDate } from '../domain/deadline.js';
import type { Digests, DutyRota, Log } from './ports.js';
import { dutyLeaderEmail } from './duty.js';

export interface DigestDeps {
  digests: Digests;
  catalog: Catalog;
  now: () => Date;
  log: Log;
  rota?: DutyRota;
  /** The hour (0–23, China time) from which yesterday's digest is made. */
  hour: number;
  /** Who reads it; none: the duty leader on duty. */
  emails: readonly string[];
}


/** Makes yesterday's digest if its hour has come and nobody made it yet: the day made, or null. */
export async function digestIfDue(d: DigestDeps): Promise<string | null> {
  const now = d.now();
  if (new Date(now.getTime() + CHINA_OFFSET_MS).getUTCHours() < d.hour) return null;
  const day = chinaDate(new Date(now.getTime() - 86_400_000));
  if (await d.digests.get(day)) return null;
  const digest = await d.digests.build(day, now, d.catalog);
  const mail = digestText(digest, d.catalog.centre.name);
  const to = d.emails.length > 0 ? d.emails : [await dutyLeaderEmail(d, now)];
  const kept = await d.digests.keep(digest, to.map((address) => ({ channel: 'email' as const, destination: address, payload: { ...mail, ref: `digest:${day}` }, dedupKey: `digest:${day}:email:${address}` })));
  if (kept) d.log.info({ day, volume: digest.volume.today }, 'the daily digest was made and mailed');
  return kept ? day : null;
}

export function startDigest(d: DigestDeps, everyMs: number): { close: () => Promise<void> } {
  let running: Promise<unknown> = Promise.resolve();
  const tick = () => {
    running = digestIfDue(d).catch((err: unknown) => d.log.warn({ err }, 'the daily digest failed; the next sweep tries again'));
  };
  const timer = setInterval(tick, everyMs);
  timer.unref();
  tick();
  return {
    close: async () => {
      clearInterval(timer);
      await running;
    },
  };
}
