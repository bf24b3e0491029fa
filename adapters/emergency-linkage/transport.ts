/** The linkage platform's transport: JSON over HTTP both ways (hand-overs and transfer answers to it, the lines' events to a callback). */
import { describeError } from '../../infra/errors.js';
import type { Logger } from '../../infra/log.js';
import { listenForCallbacks } from '../kit/http.js';
import { LegacyError, type Transport } from '../kit/types.js';
import { PATHS, TOKEN_HEADER, type LinkageCall } from './protocol.js';
import type { Settings } from './settings.js';


export function linkageTransport(s: Settings, log: Logger): Transport<LinkageCall, void> {
  let callbacks: { close: () => Promise<void> } | undefined;
  return {
    async send(call, meta) {
      let res: Response;
      try {
        res = await fetch(new URL(PATHS[call.to], s.URL), {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(meta.correlationId ? { 'x-correlation-id': meta.correlationId } : {}) },
          body: JSON.stringify(call.body),
          signal: AbortSignal.timeout(s.TIMEOUT_MS),
        });
      } catch (err) {
        throw new LegacyError(`not reached or no answer within ${s.TIMEOUT_MS} ms: ${describeError((err as { cause?: unknown }).cause ?? err)}`, true);
      }
      if (res.status >= 500 || res.status === 429) throw new LegacyError(`HTTP ${res.status}`, true);
      if (!res.ok) throw new LegacyError(`HTTP ${res.status}: ${(await res.text()).slice(0, 200)}`, false);
      const answer = (await res.json().catch(() => ({}))) as { accepted?: boolean; reason?: string };
      if (answer.accepted !== true) throw new LegacyError(`the platform did not take the ${{ handovers: 'hand-over', transferAnswers: 'transfer answer', transferResults: 'transfer result' }[call.to]}: ${answer.reason ?? 'no reason given'}`, true);
    },
    async listen(receive) {
      callbacks = await listenForCallbacks(
        {
          name: 'emergency-linkage', host: s.CALLBACK_HOST, port: s.CALLBACK_PORT, path: PATHS.events, tokenHeader: TOKEN_HEADER, token: s.CALLBACK_TOKEN, log,
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
