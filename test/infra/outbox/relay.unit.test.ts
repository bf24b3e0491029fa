/**
 * How many rows a relay claims per round, and for how long (infra/outbox/relay.ts fitBatch): never
 * more than it can send before its lease runs out, so that no other relay takes a row it is still
 * sending (the slow mail server's case: 100 e-mails at 3 × 10 s each, four at a time, in a 30 s lease).
 * And how a channel's several loops share the work: one looks for other processes' rows while
 * idle, all work once it finds more than it takes.
 */
import { describe, expect, it } from 'vitest';
import type { OutboxRow } from '../../../infra/db/entities.js';
import { createLogger } from '../../../infra/log.js';
import { fitBatch, startRelay, type ChannelSender } from '../../../infra/outbox/relay.js';
import type { OutboxStore } from '../../../infra/outbox/store.js';
import { emailSender } from '../../../infra/outbox/senders.js';
import { smsSender } from '../../../adapters/sms-gateway/sender.js';

const mailer = {} as Parameters<typeof emailSender>[0];

describe('a relay fits its batch to its lease', () => {
  it.each([
    // e-mail as the hub sets it: each row 3 × SMTP_TIMEOUT_MS, MAIL_CONCURRENCY at once
    ['e-mail, 10 s SMTP timeout: not even one round fits 4/5 of 30 s, so one round, leased for it', emailSender(mailer, { from: 'x', batchSize: 100, concurrency: 4, timeoutMs: 30_000 }), 30_000, { size: 4, leaseMs: 35_000 }],
    ['e-mail, 3 s SMTP timeout: two rounds fit', emailSender(mailer, { from: 'x', batchSize: 100, concurrency: 4, timeoutMs: 9_000 }), 30_000, { size: 8, leaseMs: 30_000 }],
    ['e-mail, a long lease: the whole batch', emailSender(mailer, { from: 'x', batchSize: 20, concurrency: 4, timeoutMs: 9_000 }), 600_000, { size: 20, leaseMs: 600_000 }],
    ['SMS, 10 s timeout, 8 at once', smsSender({ url: 'http://127.0.0.1:9', key: 'k', batchSize: 100, concurrency: 8, timeoutMs: 10_000 }), 30_000, { size: 16, leaseMs: 30_000 }],
    ['a sender that names no worst case: as set', { batchSize: 100 }, 30_000, { size: 100, leaseMs: 30_000 }],
  ] as Array<[string, Pick<ChannelSender, 'batchSize' | 'worstCaseMs'>, number, { size: number; leaseMs: number }]>)('%s', (_what, sender, leaseMs, expected) => {
    const fit = fitBatch(sender, leaseMs);
    expect(fit).toEqual(expected);
    if (sender.worstCaseMs) expect(sender.worstCaseMs(fit.size), 'the batch ends within its lease, with room for the marks').toBeLessThan(fit.leaseMs);
  });
});

describe("a channel's loops", () => {
  const policy = { initialMs: 100, factor: 2, maxMs: 1000, jitter: 0, maxAttempts: 5 };
  const log = createLogger('silent');
  const row = (i: number) => ({ id: `r${i}`, channel: 'engine', payload: '{}' }) as unknown as OutboxRow;

  it('look for other processes\' rows with one claim per poll when idle, not one per loop', async () => {
    let claims = 0;
    const store = { claim: async () => (claims++, []), markSent: async () => undefined, markFailed: async () => 'recorded' } as unknown as OutboxStore;
    const relay = startRelay({ store, senders: [{ channel: 'engine', batchSize: 8, loops: 4, send: async () => [] }], policy, leaseMs: 30_000, pollMs: 20, log });
    await new Promise((r) => setTimeout(r, 500));
    await relay.close();
    // One loop polling every 20 ms makes about 25 claims in 500 ms; four did about 100.
    expect(claims).toBeGreaterThan(5);
    expect(claims).toBeLessThan(45);
  });

  it('all work once the first finds a full batch that another process wrote', async () => {
    let backlog: OutboxRow[] = [];
    let inFlight = 0;
    let most = 0;
    const store = {
      claim: async (_c: string, limit: number) => backlog.splice(0, limit),
      markSent: async () => undefined,
      markFailed: async () => 'recorded',
    } as unknown as OutboxStore;
    const send = async (rows: OutboxRow[]) => {
      most = Math.max(most, ++inFlight);
      await new Promise((r) => setTimeout(r, 100));
      inFlight--;
      return rows.map((r) => ({ id: r.id, ok: true as const }));
    };
    // The first loop looks every 300 ms, the others every 3 s: only a wake brings them in sooner.
    const relay = startRelay({ store, senders: [{ channel: 'engine', batchSize: 4, loops: 4, send }], policy, leaseMs: 30_000, pollMs: 300, log });
    await new Promise((r) => setTimeout(r, 50));
    backlog = Array.from({ length: 32 }, (_, i) => row(i)); // written elsewhere: no wake
    await new Promise((r) => setTimeout(r, 900));
    await relay.close();
    expect(backlog).toEqual([]);
    expect(most, 'the channel\'s loops sent side by side').toBeGreaterThan(1);
  });
});
