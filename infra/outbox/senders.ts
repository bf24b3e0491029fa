/**
 * One sender per outbox channel: Kafka (a batch per round), e-mail (in parallel, with explicit
 * timeouts) and Zeebe messages (in parallel, with a deadline). Each says per row whether it was
 * delivered, and whether a failure is worth retrying.
 */
import type { Producer } from 'kafkajs';
import type { Transporter } from 'nodemailer';
import type { OutboxRow } from '../db/entities.js';
import type { ZeebeClient } from '../engine/zeebe-client.js';
import { describeError, isGrpcAlreadyExists, isRetriable } from '../errors.js';
import { mapLimit, withTimeout } from '../timeout.js';
import type { ChannelSender, Delivery } from './relay.js';
import { contextOf, markError, SpanKind, startSpan, traceparentOf } from '../tracing.js';

const failed = (row: OutboxRow, err: unknown, permanent: boolean): Delivery => ({ id: row.id, ok: false, error: describeError(err), permanent });

export function kafkaSender(producer: Producer, opts: { batchSize: number; timeoutMs: number }): ChannelSender {
  return {
    channel: 'kafka',
    batchSize: opts.batchSize,
    async send(rows) {
      const byTopic = new Map<string, OutboxRow[]>();
      for (const r of rows) byTopic.set(r.destination, [...(byTopic.get(r.destination) ?? []), r]);
      // A row made in a traced order gets a span of its own, whose context goes with the event.
      const spans = new Map(rows.filter((r) => r.traceParent).map((r) => [r.id, startSpan(`publish ${r.destination}`, { kind: SpanKind.PRODUCER, parent: contextOf(r.traceParent), attributes: { 'messaging.system': 'kafka', 'messaging.destination.name': r.destination, 'hub.order_no': r.aggregateKey ?? '' } })]));
      try {
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
    send: (rows) =>
      mapLimit(rows, opts.concurrency, async (row): Promise<Delivery> => {
        try {
          const mail = JSON.parse(row.payload) as { subject: string; text: string; orderNo?: string };
          await withTimeout(
            mailer.sendMail({
              from: opts.from,
              to: row.destination,
              subject: mail.subject,
              text: mail.text,
              textEncoding: 'base64',
              headers: { 'X-Outbox-Id': row.id, ...(mail.orderNo ? { 'X-Hotline-Order-No': mail.orderNo } : {}) },
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

export interface ZeebeMessagePayload {
  name: string;
  correlationKey: string;
  messageId: string;
  timeToLive: number;
  variables: Record<string, unknown>;
  /** The message starts an instance (a message start event) instead of reaching a waiting one. */
  start?: boolean;
  /**
   * The message only shortens a wait (an acknowledgement): when nothing waits for it within its
   * time to live it is dropped, as Zeebe drops an expired message, instead of kept for an operator.
   */
  expendable?: boolean;
}

export function zeebeSender(zeebe: ZeebeClient, opts: { batchSize: number; concurrency: number; timeoutMs: number; loops?: number }): ChannelSender {
  return {
    channel: 'zeebe',
    batchSize: opts.batchSize,
    loops: opts.loops,
    send: (rows) =>
      mapLimit(rows, opts.concurrency, async (row): Promise<Delivery> => {
        const m = JSON.parse(row.payload) as ZeebeMessagePayload;
        try {
          await withTimeout(
            zeebe.publishMessage({ name: m.name, correlationKey: m.correlationKey, messageId: m.messageId, timeToLive: m.timeToLive, variables: m.variables as never }),
            opts.timeoutMs,
            'Zeebe',
          );
          return { id: row.id, ok: true };
        } catch (err) {
          // Zeebe holds a message with this id already: an earlier attempt went through.
          if (isGrpcAlreadyExists(err)) return { id: row.id, ok: true };
          return failed(row, err, !isRetriable(err));
        }
      }),
  };
}
