/**
 * How many rows a relay claims per round, and for how long (infra/outbox/relay.ts fitBatch): never
 * more than it can send before its lease runs out, so that no other relay takes a row it is still
 * sending (the slow mail server's case: 100 e-mails at 3 × 10 s each, four at a time, in a 30 s lease).
 */
import { describe, expect, it } from 'vitest';
import { fitBatch, type ChannelSender } from '../../../infra/outbox/relay.js';
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
