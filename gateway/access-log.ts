/**
 * The HTTP access log (pino-http): one line per request when it is answered, with the request id,
 * method, route template, path, status, time and the key's id (`trace_id` comes from the logger,
 * inside the request's trace). Nothing personal: no query string (a contact-confirmation token, an
 * Open311 api_key), no headers (the Authorization key), no body, no client address. /healthz,
 * /readyz, /metrics and the console's files are not logged.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pinoHttp } from 'pino-http';
import type { Logger } from '../infra/log.js';
import { localsOf as localsOfExpress } from './security.js';

const QUIET = /^\/(healthz|readyz|metrics)$|^\/console\//;

/** The request's locals (gateway/security.ts), from the raw response pino-http hands over. */
const localsOf = (res: ServerResponse) => localsOfExpress(res as unknown as Parameters<typeof localsOfExpress>[0]);
const pathOf = (req: IncomingMessage): string => (req.url ?? '').split('?')[0]!;

export function accessLog(log: Logger) {
  return pinoHttp({
    logger: log.child({ role: 'access' }),
    genReqId: (_req, res) => localsOf(res).requestId,
    quietReqLogger: true,
    autoLogging: { ignore: (req) => QUIET.test(pathOf(req)) },
    customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info'),
    customSuccessMessage: (req, res) => `${req.method} ${pathOf(req)} ${res.statusCode}`,
    customErrorMessage: (req, res) => `${req.method} ${pathOf(req)} ${res.statusCode}`,
    serializers: {
      req: (req: IncomingMessage & { id?: unknown; raw?: IncomingMessage }) => ({ id: req.id, method: req.method, path: pathOf(req.raw ?? req) }),
      res: (res: ServerResponse & { raw?: ServerResponse }) => {
        const l = localsOf(res.raw ?? res);
        return { statusCode: (res.raw ?? res).statusCode, route: l.route?.slice(l.route.indexOf(' ') + 1), key: l.principal?.keyId };
      },
    },
  });
}
