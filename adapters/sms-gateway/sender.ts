/**
 * The outbox's SMS channel: each row is one message to a citizen's mobile, sent through the SMS
 * gateway with the outbox row's id as its msgId, so that a row sent again (a crash before it was
 * marked, a replay) reaches the citizen once. A gateway that is down, slow or busy fails the row
 * for a retry with backoff; one that refuses it parks it. The number is never logged: a failure
 * names the row only.
 */
import type { ChannelSender, Delivery } from '../../infra/outbox/relay.js';
import { describeError } from '../../infra/errors.js';
import { mapLimit } from '../../infra/timeout.js';
import { KEY_HEADER, RETRY_CODES, SEND_PATH, type SmsAnswer, type SmsRequest } from './protocol.js';

export function smsSender(o: { url: string; key: string; batchSize: number; concurrency: number; timeoutMs: number }): ChannelSender {
  return {
    channel: 'sms',
    batchSize: o.batchSize,
    worstCaseMs: (rows) => Math.ceil(rows / o.concurrency) * o.timeoutMs,
    send: (rows) =>
      mapLimit(rows, o.concurrency, async (row): Promise<Delivery> => {
        const { text } = JSON.parse(row.payload) as { text: string };
        const body: SmsRequest = { msgId: row.id, mobile: row.destination, content: text };
        let res: Response;
        try {
          res = await fetch(new URL(SEND_PATH, o.url), { method: 'POST', headers: { 'content-type': 'application/json', [KEY_HEADER]: o.key }, body: JSON.stringify(body), signal: AbortSignal.timeout(o.timeoutMs) });
        } catch (err) {
          const e = err as Error & { cause?: unknown };
          return { id: row.id, ok: false, error: e.name === 'TimeoutError' ? `the SMS gateway did not answer within ${o.timeoutMs} ms` : `the SMS gateway was not reached: ${describeError(e.cause ?? e)}`, permanent: false };
        }
        if (res.status >= 500 || res.status === 429) return { id: row.id, ok: false, error: `the SMS gateway answered HTTP ${res.status}`, permanent: false };
        let a: SmsAnswer;
        try {
          a = (await res.json()) as SmsAnswer;
        } catch {
          return { id: row.id, ok: false, error: `the SMS gateway answered HTTP ${res.status} without JSON`, permanent: false };
        }
        if (a.code === 'OK') return { id: row.id, ok: true };
        return { id: row.id, ok: false, error: `the SMS gateway answered ${a.code}${a.message ? `: ${a.message}` : ''}`, permanent: !RETRY_CODES.has(a.code) };
      }),
  };
}
