/**
 * Delivers what steps wrote to the outbox: Kafka events and e-mail. A row is marked sent only
 * after delivery, so a crash in between sends it again (at least once); receivers deduplicate by
 * the event id. A failed row stays and is retried on the next round, its error recorded.
 */
import type { Producer } from 'kafkajs';
import type { Transporter } from 'nodemailer';
import type { OrderStore } from '../db/orders.js';
import type { OutboxRow } from '../db/entities.js';
import type { Logger } from '../log.js';

export interface RelayDeps {
  store: OrderStore;
  producer: Producer;
  mailer: Transporter | undefined;
  mailFrom: string;
  log: Logger;
  pollMs: number;
}

async function deliver(row: OutboxRow, d: RelayDeps): Promise<boolean> {
  if (row.channel === 'kafka') {
    const payload = JSON.parse(row.payload) as { id: string; type: string };
    await d.producer.send({
      topic: row.destination,
      messages: [{ key: row.messageKey, value: row.payload, headers: { 'event-id': payload.id, 'event-type': payload.type } }],
    });
    return true;
  }
  if (!d.mailer) return false;
  const mail = JSON.parse(row.payload) as { subject: string; text: string; orderNo?: string };
  await d.mailer.sendMail({
    from: d.mailFrom,
    to: row.destination,
    subject: mail.subject,
    text: mail.text,
    textEncoding: 'base64',
    headers: { 'X-Outbox-Id': row.id, ...(mail.orderNo ? { 'X-Hotline-Order-No': mail.orderNo } : {}) },
  });
  return true;
}

export function startOutboxRelay(d: RelayDeps): { close: () => Promise<void>; drain: () => Promise<number> } {
  let stopped = false;
  let running: Promise<number> = Promise.resolve(0);
  let warnedNoMail = false;
  const round = async (): Promise<number> => {
    let sent = 0;
    for (const row of await d.store.unsent(50)) {
      try {
        if (await deliver(row, d)) {
          await d.store.markSent(row.id);
          sent++;
        } else if (!warnedNoMail) {
          warnedNoMail = true;
          d.log.warn('e-mail to units waits in the outbox: SMTP_URL is empty');
        }
      } catch (err) {
        d.log.warn({ outboxId: row.id, channel: row.channel, destination: row.destination, err: (err as Error).message }, 'outbox delivery failed; will retry');
        await d.store.markFailed(row.id, (err as Error).message).catch(() => undefined);
      }
    }
    return sent;
  };
  const loop = async (): Promise<void> => {
    while (!stopped) {
      running = round().catch((err) => {
        d.log.error({ err }, 'outbox relay round failed');
        return 0;
      });
      await running;
      await new Promise((r) => setTimeout(r, d.pollMs));
    }
  };
  void loop();
  return {
    drain: round,
    close: async () => {
      stopped = true;
      await running;
    },
  };
}
