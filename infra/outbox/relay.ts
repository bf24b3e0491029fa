/**
 * The relay: the only thing that talks to the broker, the mail server and the engine on behalf of
 * committed steps. One loop per channel, so a disabled or failing channel never holds up another.
 * Each loop claims a batch (OutboxStore.claim), hands it to the channel's sender, marks what was
 * delivered and records what failed; it is woken when a step in this process commits, and polls
 * for the rows other processes wrote.
 *
 * Delivery is at least once: a crash after a send and before its mark sends the row again once
 * the lease runs out. Receivers deduplicate by the event id (Kafka), the outbox id header
 * (e-mail) or the messageId (Zeebe refuses a repeat).
 */
import type { OutboxChannel, OutboxRow } from '../db/entities.js';
import { describeError } from '../errors.js';
import type { Logger } from '../log.js';
import type { RetryPolicy } from './retry-policy.js';
import type { OutboxStore } from './store.js';

/** What a sender says of one row. */
export type Delivery =
  | { id: string; ok: true }
  | {
      id: string;
      ok: false;
      error: string;
      permanent: boolean;
      /**
       * The receiver says when to come back, instead of the backoff: a message for a Camunda 7
       * instance that is not waiting yet is tried again soon, until its time to live, and such
       * tries do not count towards parking the row.
       */
      retryInMs?: number;
    };

export interface ChannelSender {
  channel: OutboxChannel;
  /** Rows claimed per round. */
  batchSize: number;
  /**
   * The longest a batch of `rows` can take (its rows' timeouts, so many at once): the relay claims
   * no more than fit in its lease, and leases a batch longer when even the smallest takes longer,
   * so that no other relay takes a row this one is still sending. Unset: the batch size and lease as set.
   */
  worstCaseMs?: (rows: number) => number;
  /**
   * Loops of this channel in one process (default 1). Each claims its own batch (SKIP LOCKED
   * keeps them apart), so a slow row delays only its own batch: for a server that answers each
   * call slowly but takes many at once (Zeebe commits before it answers).
   */
  loops?: number;
  send(rows: OutboxRow[]): Promise<Delivery[]>;
}

export interface RelayOptions {
  store: OutboxStore;
  senders: ChannelSender[];
  policy: RetryPolicy;
  leaseMs: number;
  pollMs: number;
  log: Logger;
}

export interface Relay {
  /** Wakes the loops of these channels now (a step committed rows for them). */
  wake(channels: Iterable<OutboxChannel>): void;
  /** Stops claiming, lets the batches in flight finish and be marked, then resolves. */
  close(): Promise<void>;
}

/**
 * A channel's second and later loops look for rows from other processes this many times less
 * often than its first: idle, one claim per poll and channel is enough to find them, and the first
 * loop wakes the others when it finds more than it takes.
 */
const SIBLING_POLL_FACTOR = 10;

export function startRelay(o: RelayOptions): Relay {
  let stopped = false;
  const wakers = new Map<OutboxChannel, Array<() => void>>();
  const wakeChannel = (c: OutboxChannel) => {
    for (const w of wakers.get(c) ?? []) w();
  };
  const loops = o.senders.flatMap((s) => Array.from({ length: s.loops ?? 1 }, (_, i) => ({ sender: s, first: i === 0 }))).map(async ({ sender, first }) => {
    const pollMs = first ? o.pollMs : o.pollMs * SIBLING_POLL_FACTOR;
    const log = o.log.child({ channel: sender.channel });
    let idleWake: (() => void) | undefined;
    let pending = false; // a wake that came while a round ran
    wakers.set(sender.channel, [
      ...(wakers.get(sender.channel) ?? []),
      () => {
        pending = true;
        idleWake?.();
      },
    ]);
    const idle = (ms: number): Promise<void> =>
      new Promise((resolve) => {
        if (pending || stopped) return resolve();
        const t = setTimeout(done, ms);
        function done(): void {
          clearTimeout(t);
          idleWake = undefined;
          resolve();
        }
        idleWake = done;
      });
    const fit = fitBatch(sender, o.leaseMs);
    while (!stopped) {
      pending = false;
      let rows: OutboxRow[] = [];
      try {
        rows = await o.store.claim(sender.channel, fit.size, fit.leaseMs);
      } catch (err) {
        log.error({ err }, 'outbox claim failed (database); trying again');
        await idle(Math.max(o.pollMs, 1000));
        continue;
      }
      if (rows.length === 0) {
        await idle(pollMs);
        continue;
      }
      // A full batch: more may be waiting, for the channel's other loops too.
      if ((sender.loops ?? 1) > 1 && rows.length >= fit.size) wakeChannel(sender.channel);
      const failed = await deliver(sender, rows, o, log);
      // The whole channel is failing (its server is down): do not hammer it.
      if (failed === rows.length) await idle(Math.max(o.pollMs, o.policy.initialMs));
    }
  });
  return {
    wake: (channels) => {
      for (const c of channels) wakeChannel(c);
    },
    close: async () => {
      stopped = true;
      for (const list of wakers.values()) for (const w of list) w();
      await Promise.all(loops);
    },
  };
}

/** Room left in a lease for the database's marks after a batch's worst case. */
const LEASE_MARGIN_MS = 5_000;

/**
 * How many rows a relay claims at once for a channel, and for how long: as many as can be sent
 * within 4/5 of the lease at worst; when not even one round fits, one round (the sender's
 * concurrency: the rows the first call takes) with a lease long enough for it.
 */
export function fitBatch(sender: Pick<ChannelSender, 'batchSize' | 'worstCaseMs'>, leaseMs: number): { size: number; leaseMs: number } {
  const worst = sender.worstCaseMs;
  if (!worst) return { size: sender.batchSize, leaseMs };
  let size = sender.batchSize;
  while (size > 1 && worst(size) > leaseMs * 0.8) size--;
  if (size === 1 && worst(1) > leaseMs * 0.8) {
    // Even one row may outlast the lease: take what one round sends, and lease for it.
    let round = 1;
    while (round < sender.batchSize && worst(round + 1) === worst(1)) round++;
    return { size: round, leaseMs: Math.max(leaseMs, worst(round) + LEASE_MARGIN_MS) };
  }
  return { size, leaseMs };
}

/** Sends one claimed batch and records the outcome of every row; returns how many failed. */
async function deliver(sender: ChannelSender, rows: OutboxRow[], o: RelayOptions, log: Logger): Promise<number> {
  let results: Delivery[];
  try {
    results = await sender.send(rows);
  } catch (err) {
    // A sender should answer per row; an exception fails the batch as retriable.
    results = rows.map((r) => ({ id: r.id, ok: false as const, error: describeError(err), permanent: false }));
  }
  const byId = new Map(rows.map((r) => [r.id, r]));
  const sent = results.filter((r) => r.ok).map((r) => r.id);
  let failed = 0;
  try {
    await o.store.markSent(sent);
    for (const r of results) {
      if (r.ok) continue;
      failed++;
      const row = byId.get(r.id)!;
      const outcome = await o.store.markFailed(row, r.error, o.policy, r.permanent, new Date(), r.retryInMs);
      // A citizen's number or address is never logged: e-mail and SMS rows are named by their id only.
      const where = { outboxId: row.id, orderNo: row.aggregateKey, ...(row.channel === 'sms' || row.channel === 'email' ? {} : { destination: row.destination }), attempts: row.attempts + 1, reason: r.error };
      if (outcome === 'parked') log.error(where, `outbox row parked: it will not be retried; fix the cause, then run "hub outbox replay ${row.id}"`);
      else if (outcome === 'not-held') log.warn(where, 'outbox delivery failed after this relay\'s lease ran out; another relay has the row now');
      else log.warn(where, 'outbox delivery failed; will retry');
    }
  } catch (err) {
    // The marks did not reach the database: the leases run out and the rows are sent again.
    log.error({ err, rows: rows.length }, 'outbox rows delivered but not marked; they will be sent again after the lease');
  }
  if (sent.length > 0) log.debug({ sent: sent.length }, 'outbox rows delivered');
  return failed;
}
