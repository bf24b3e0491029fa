/**
 * The senders of the outbox channels that are not the engine's: Kafka (a batch per round) and
 * e-mail (in parallel, with explicit timeouts); the engine's is its binding's (zeebe-engine.ts,
 * camunda7-rest.ts). Each says per row whether it was delivered, and whether a failure is worth
 * retrying.
 */
import type { Producer } from 'kafkajs';
import type { Transporter } from 'nodemailer';
import type { OutboxRow } from '../db/entities.js';
import { describeError, HubError, isRetriable } from '../errors.js';
import { producerStateLost } from '../kafka.js';
import { mapLimit, withTimeout } from '../timeout.js';
import type { ChannelSender, Delivery } from './relay.js';
import { contextOf, kafkaMessaging, markError, SpanKind, startSpan, traceparentOf } from '../tracing.js';

export const failed = (row: OutboxRow, err: unknown, permanent: boolean): Delivery => ({ id: row.id, ok: false, error: describeError(err), permanent });

/**
 * `newProducer`: a connected producer of a new id, for when this one's sequence numbers went astray
 * (a reconnect keeps kafkajs's id and numbers: only a new producer cures it). Without it the rows
 * are tried again on the same producer.
 */
export function kafkaSender(first: Producer, opts: { batchSize: number; timeoutMs: number; newProducer?: () => Promise<Producer> }): ChannelSender {
  let producer = first;
  let renewing: Promise<void> | undefined;
  const renew = (): Promise<void> =>
    (renewing ??= (async () => {
      try {
        if (!opts.newProducer) return;
        const old = producer;
        producer = await opts.newProducer();
        // The first producer is shared (adapters, dead letters) and stays; a replaced one of ours goes.
        if (old !== first) await old.disconnect().catch(() => undefined);
      } finally {
        renewing = undefined;
      }
    })());
  return {
    channel: 'kafka',
    batchSize: opts.batchSize,
    async send(rows) {
      const byTopic = new Map<string, OutboxRow[]>();
      for (const r of rows) byTopic.set(r.destination, [...(byTopic.get(r.destination) ?? []), r]);
      // A row made in a traced order gets a span of its own, whose context goes with the event.
      const spans = new Map(rows.filter((r) => r.traceParent).map((r) => [r.id, startSpan(`send ${r.destination}`, { kind: SpanKind.PRODUCER, parent: contextOf(r.traceParent), attributes: { ...kafkaMessaging('send', r.destination), 'messaging.kafka.message.key': r.aggregateKey ?? '', 'messaging.message.id': r.id, 'hub.order_no': r.aggregateKey ?? '' } })]));
      try {
        await renewing;
        await withTimeout(
          producer.sendBatch({
            topicMessages: [...byTopic].map(([topic, list]) => ({
              topic,
              messages: list.map((r) => {
                const { id, type, correlationId } = JSON.parse(r.payload) as { id: string; type: string; correlationId?: string };
                const traceparent = spans.has(r.id) ? traceparentOf(spans.get(r.id)!.ctx) : undefined;
                return { key: r.messageKey, value: r.payload, headers: { 'event-id': id, 'event-type': type, 'outbox-id': r.id, ...(correlationId ? { 'correlation-id': correlationId } : {}), ...(traceparent ? { traceparent } : {}) } };
              }),
            })),
          }),
          opts.timeoutMs,
          'Kafka',
        );
        return rows.map((r) => ({ id: r.id, ok: true as const }));
      } catch (err) {
        for (const { span } of spans.values()) markError(span, describeError(err));
        // A send given up on goes on inside kafkajs, and a broker may still append it: the next
        // send on the same producer would reuse its sequence numbers and be refused as out of
        // order. So after a timeout too, the rows go again on a producer of a new id.
        if (producerStateLost(err) || (err instanceof HubError && err.code === 'TIMEOUT')) {
          // Sent again by a producer of a new id: the rows may reach Kafka twice, which readers
          // deduplicate by the event id (as after any retry); they are never lost.
          await renew().catch(() => undefined);
          return rows.map((r) => failed(r, err, false));
        }
        return rows.map((r) => failed(r, err, !isRetriable(err)));
      } finally {
        for (const { span } of spans.values()) span.end();
      }
    },
  };
}

/** SMTP: a 5xx answer is permanent (the server refused this mail); anything else may pass later. */
const smtpPermanent = (err: unknown): boolean => {
  const code = (err as { responseCode?: number }).responseCode;
  return typeof code === 'number' && code >= 500 && code < 600;
};

/**
 * The mailer's own timeouts cover connecting, the greeting and an idle socket; `timeoutMs` bounds
 * a whole message besides, so that no mail server, however it misbehaves, holds the loop.
 */
export function emailSender(mailer: Transporter, opts: { from: string; batchSize: number; concurrency: number; timeoutMs: number }): ChannelSender {
  return {
    channel: 'email',
    batchSize: opts.batchSize,
    // Rows go `concurrency` at a time, each within its timeout.
    worstCaseMs: (rows) => Math.ceil(rows / opts.concurrency) * opts.timeoutMs,
    send: (rows) =>
      mapLimit(rows, opts.concurrency, async (row): Promise<Delivery> => {
        try {
          // `ref`: what a mail about no one order is about (a circular), for the recipients' mail rules.
          const mail = JSON.parse(row.payload) as { subject: string; text: string; orderNo?: string; ref?: string };
          await withTimeout(
            mailer.sendMail({
              from: opts.from,
              to: row.destination,
              subject: mail.subject,
              text: mail.text,
              textEncoding: 'base64',
              headers: { 'X-Outbox-Id': row.id, ...(mail.orderNo ? { 'X-Hotline-Order-No': mail.orderNo } : {}), ...(mail.ref ? { 'X-Hotline-Ref': mail.ref } : {}) },
            }),
            opts.timeoutMs,
            'the mail server',
          );
          return { id: row.id, ok: true };
        } catch (err) {
          return failed(row, err, smtpPermanent(err));
        }
      }),
  };
}
