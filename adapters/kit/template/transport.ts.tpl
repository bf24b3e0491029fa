/** __NAME__'s transport: JSON over HTTP both ways (calls to the system, its messages to a callback). */
import { describeError } from '../../infra/errors.js';
import type { Logger } from '../../infra/log.js';
import { listenForCallbacks } from '../kit/http.js';
import { LegacyError, type Transport } from '../kit/types.js';
import { PATHS, TOKEN_HEADER, type OrderAnswer, type OrderCall } from './protocol.js';
import type { Settings } from './settings.js';


export function httpJsonTransport(s: Settings, log: Logger): Transport<OrderCall, OrderAnswer> {
  let callbacks: { close: () => Promise<void> } | undefined;
  return {
    async send(call, meta) {
      let res: Response;
      try {
        res = await fetch(new URL(PATHS.orders, s.URL), {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(meta.correlationId ? { 'x-correlation-id': meta.correlationId } : {}) },
          body: JSON.stringify(call),
          signal: AbortSignal.timeout(s.TIMEOUT_MS),
        });
      } catch (err) {
        throw new LegacyError(`not reached or no answer within ${s.TIMEOUT_MS} ms: ${describeError((err as { cause?: unknown }).cause ?? err)}`, true);
      }
      if (res.status >= 500 || res.status === 429) throw new LegacyError(`HTTP ${res.status}`, true);
      if (!res.ok) throw new LegacyError(`HTTP ${res.status}: ${(await res.text()).slice(0, 200)}`, false);
      const answer = (await res.json()) as Partial<OrderAnswer>;
      if (!answer.ticketId) throw new LegacyError('an answer without ticketId', false);
      return { ticketId: answer.ticketId };
    },
    async listen(receive) {
      callbacks = await listenForCallbacks(
        {
          name: '__NAME__', host: s.CALLBACK_HOST, port: s.CALLBACK_PORT, path: PATHS.notify, tokenHeader: TOKEN_HEADER, token: s.CALLBACK_TOKEN, log,
          // Answer as the system expects: here 200 taken, 422 refused for good, 503 send it again.
          answer: (res, outcome, message) => {
            const status = { taken: 200, refused: 422, retry: 503, unauthorized: 401, 'not-found': 404 }[outcome];
            res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(outcome === 'taken' ? { ok: true } : { error: message }));
          },
        },
        receive,
      );
    },
    close: async () => {
      await callbacks?.close();
    },
  };
}
