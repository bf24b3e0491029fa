/** The linkage platform's transport: JSON over HTTP both ways (hand-overs to it, the lines' events to a callback). */
import { timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import { describeError } from '../../infra/errors.js';
import type { Logger } from '../../infra/log.js';
import { LegacyError, MappingError, type Transport } from '../kit/types.js';
import { PATHS, TOKEN_HEADER, type HandoverCall } from './protocol.js';
import type { Settings } from './settings.js';

const sameToken = (a: string, b: string): boolean => Buffer.from(a).length === Buffer.from(b).length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

export function linkageTransport(s: Settings, log: Logger): Transport<HandoverCall, void> {
  let server: http.Server | undefined;
  return {
    async send(call, meta) {
      let res: Response;
      try {
        res = await fetch(new URL(PATHS.handovers, s.URL), {
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
      const answer = (await res.json().catch(() => ({}))) as { accepted?: boolean; reason?: string };
      if (answer.accepted !== true) throw new LegacyError(`the platform did not take the hand-over: ${answer.reason ?? 'no reason given'}`, true);
    },
    async listen(receive) {
      server = http.createServer((req, res) => {
        const reply = (status: number, body: object): void => void res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
        if (req.method !== 'POST' || req.url !== PATHS.events) return reply(404, { error: `POST ${PATHS.events} only` });
        const token = req.headers[TOKEN_HEADER];
        if (typeof token !== 'string' || !sameToken(token, s.CALLBACK_TOKEN)) return reply(401, { error: 'bad or missing token' });
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => {
          receive({ body: Buffer.concat(chunks), contentType: req.headers['content-type'], receivedAt: new Date() }).then(
            () => reply(200, { ok: true }),
            (err: unknown) => {
              if (err instanceof MappingError) return reply(422, { error: describeError(err) });
              log.warn({ reason: describeError(err) }, 'message not taken now; the system will send it again');
              reply(503, { error: 'try again later' });
            },
          );
        });
      });
      await new Promise<void>((resolve, reject) => {
        server!.once('error', reject);
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
