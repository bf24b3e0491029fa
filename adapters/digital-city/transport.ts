/**
 * HTTP with XML both ways: case reports POSTed to the system, status notices taken on a callback
 * server the system posts to (with the agreed token). A notice is answered ResultCode 0 once the
 * hub has it; 1 when it can never be taken (the system should not send it again); HTTP 503 when
 * the hub cannot take it now (the system sends it again, as such systems do).
 */
import { timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import { describeError, isRetriable } from '../../infra/errors.js';
import type { Logger } from '../../infra/log.js';
import { LegacyError, MappingError, type LegacyMessage, type Transport } from '../kit/types.js';
import { readReportAnswer } from './mappers.js';
import { answerXml, PATHS, reportXml, RESULT, TOKEN_HEADER, type CaseReport } from './protocol.js';
import type { Settings } from './settings.js';

const MAX_BODY = 256 * 1024;

const sameToken = (a: string, b: string): boolean => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

export function httpXmlTransport(s: Settings, log: Logger): Transport<CaseReport, { caseId: string }> {
  let server: http.Server | undefined;
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
      server = http.createServer((req, res) => {
        const reply = (status: number, code: string, message: string): void => {
          res.writeHead(status, { 'content-type': 'text/xml; charset=UTF-8' }).end(answerXml({ ResultCode: code, Message: message }));
        };
        if (req.method !== 'POST' || req.url !== PATHS.notify) return reply(404, RESULT.refused, `POST ${PATHS.notify} only`);
        const token = req.headers[TOKEN_HEADER];
        if (typeof token !== 'string' || !sameToken(token, s.CALLBACK_TOKEN)) return reply(401, RESULT.refused, 'bad or missing token');
        const chunks: Buffer[] = [];
        let size = 0;
        req.on('data', (c: Buffer) => {
          size += c.length;
          if (size > MAX_BODY) req.destroy();
          else chunks.push(c);
        });
        req.on('end', () => {
          const m: LegacyMessage = { body: Buffer.concat(chunks), contentType: req.headers['content-type'], receivedAt: new Date() };
          receive(m).then(
            () => reply(200, RESULT.ok, '成功'),
            (err: unknown) => {
              if (err instanceof MappingError) return reply(200, RESULT.refused, describeError(err));
              log.warn({ reason: describeError(err), retriable: isRetriable(err) }, 'notice not taken now; the system will send it again');
              reply(503, RESULT.busy, 'try again later');
            },
          );
        });
      });
      await new Promise<void>((resolve, reject) => {
        server!.once('error', (err) => reject(new Error(`digital-city callback cannot listen on ${s.CALLBACK_HOST}:${s.CALLBACK_PORT}: ${err.message}`)));
        server!.listen(s.CALLBACK_PORT, s.CALLBACK_HOST, () => resolve());
      });
    },

    close: () =>
      new Promise<void>((resolve) => {
        if (!server) return resolve();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
