/**
 * HTTP with XML both ways: case reports POSTed to the system, status notices taken on a callback
 * server the system posts to (with the agreed token). A notice is answered ResultCode 0 once the
 * hub has it; 1 when it can never be taken (the system should not send it again); HTTP 503 when
 * the hub cannot take it now (the system sends it again, as such systems do).
 */
import { describeError } from '../../infra/errors.js';
import type { Logger } from '../../infra/log.js';
import { listenForCallbacks } from '../kit/http.js';
import { LegacyError, type Transport } from '../kit/types.js';
import { readReportAnswer } from './mappers.js';
import { answerXml, PATHS, reportXml, RESULT, TOKEN_HEADER, type CaseReport } from './protocol.js';
import type { Settings } from './settings.js';


export function httpXmlTransport(s: Settings, log: Logger): Transport<CaseReport, { caseId: string }> {
  let callbacks: { close: () => Promise<void> } | undefined;
  return {
    async send(report, meta) {
      let res: Response;
      try {
        res = await fetch(new URL(PATHS.report, s.URL), {
          method: 'POST',
          headers: { 'content-type': 'text/xml; charset=UTF-8', 'x-request-id': meta.eventId, ...(meta.correlationId ? { 'x-correlation-id': meta.correlationId } : {}) },
          body: reportXml(report),
          signal: AbortSignal.timeout(s.TIMEOUT_MS),
        });
      } catch (err) {
        const e = err as Error & { cause?: unknown };
        const timedOut = e.name === 'TimeoutError' || e.name === 'AbortError';
        throw new LegacyError(timedOut ? `no answer within ${s.TIMEOUT_MS} ms` : `not reached: ${describeError(e.cause ?? e)}`, true);
      }
      const text = await res.text().catch(() => '');
      if (res.status >= 500 || res.status === 429 || res.status === 408) throw new LegacyError(`HTTP ${res.status}`, true);
      if (!res.ok) throw new LegacyError(`HTTP ${res.status}: ${text.slice(0, 200)}`, false);
      let answer: ReturnType<typeof readReportAnswer>;
      try {
        answer = readReportAnswer(text);
      } catch (err) {
        throw new LegacyError(`an answer that is not the system's XML: ${describeError(err)}`, true);
      }
      if (!answer.ok) throw new LegacyError(answer.message, answer.busy);
      return { caseId: answer.caseId };
    },

    async listen(receive) {
      callbacks = await listenForCallbacks(
        {
          name: 'digital-city', host: s.CALLBACK_HOST, port: s.CALLBACK_PORT, path: PATHS.notify, tokenHeader: TOKEN_HEADER, token: s.CALLBACK_TOKEN, log,
          // The system reads ResultCode: 0 taken, 1 refused for good (do not send again), 9 busy (send again).
          answer: (res, outcome, message) => {
            const [status, code] = { taken: [200, RESULT.ok], refused: [200, RESULT.refused], retry: [503, RESULT.busy], unauthorized: [401, RESULT.refused], 'not-found': [404, RESULT.refused] }[outcome] as [number, string];
            res.writeHead(status, { 'content-type': 'text/xml; charset=UTF-8' }).end(answerXml({ ResultCode: code, Message: outcome === 'taken' ? '成功' : message }));
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
