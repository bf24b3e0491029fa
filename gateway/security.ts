/**
 * The gateway's guard rails, in the order a request meets them: a request id, security headers
 * (helmet), CORS (closed unless CORS_ORIGINS names origins), the credential (Bearer API key),
 * the per-key rate limit, the route's roles, and the audit entry written when the response is
 * finished. A missing or bad credential is 401, a role the route does not accept 403.
 */
import { randomUUID } from 'node:crypto';
import cors from 'cors';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { rateLimit, ipKeyGenerator } from 'express-rate-limit';
import helmet from 'helmet';
import type { Principal } from '../domain/access.js';
import type { ApiErrorCode } from '../domain/text.js';
import type { KeyStore } from '../infra/auth/keys.js';
import type { AuditTrail } from '../infra/db/audit.js';
import type { Logger } from '../infra/log.js';
import { contextOf, markError, runIn, SpanKind, startSpan } from '../infra/tracing.js';
import { ACCESS, type RouteKey } from './access.js';

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: ApiErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

/** What the guard rails leave on res.locals for the handlers and the audit entry. */
export interface RequestLocals {
  requestId: string;
  principal: Principal | null;
  route?: RouteKey;
  /** The order number or key id the request acts on, for the audit trail. */
  target?: string;
  /** This read disclosed a citizen's identity: it is audited like a write (PIPL: who saw whose data). */
  personalDataRead?: boolean;
  /** A credential was presented and did not hold (counted against the client's address). */
  badCredential?: boolean;
  /** Settles when the route's handler has (its write committed or refused): set by the route. */
  handled?: Promise<void>;
}

export const localsOf = (res: Response): RequestLocals => res.locals as RequestLocals;

/** The principal of a route that is not public (the guard has run). */
export const principalOf = (res: Response): Principal => {
  const p = localsOf(res).principal;
  if (!p) throw new HttpError(401, 'UNAUTHENTICATED', 'this endpoint needs an API key: Authorization: Bearer hub_…');
  return p;
};

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

export function requestId(): RequestHandler {
  return (req, res, next) => {
    const given = req.header('X-Request-Id');
    const id = given && REQUEST_ID.test(given) ? given : randomUUID();
    localsOf(res).requestId = id;
    res.setHeader('X-Request-Id', id);
    next();
  };
}

/**
 * One OpenTelemetry span per API request (the console's files are not traced), child of the
 * caller's traceparent when it sends one: what the request does (an intake, a unit's reply) is
 * traced inside it, and the order it takes in carries it on (infra/tracing.ts).
 */
export function traceRequests(): RequestHandler {
  return (req, res, next) => {
    if (req.path.startsWith('/console')) return next();
    const parent = contextOf(req.header('traceparent'));
    const { span, ctx } = startSpan(`${req.method} ${req.path}`, { kind: SpanKind.SERVER, parent, attributes: { 'http.request.method': req.method, 'url.path': req.path, 'hub.request_id': localsOf(res).requestId ?? '' } });
    res.on('finish', () => {
      const route = (req.route as { path?: string } | undefined)?.path;
      if (route) span.updateName(`${req.method} ${route}`).setAttribute('http.route', route);
      span.setAttribute('http.response.status_code', res.statusCode);
      if (res.statusCode >= 500) markError(span, `HTTP ${res.statusCode}`);
      span.end();
    });
    runIn(ctx, next);
  };
}

export function securityHeaders(corsOrigins: string): RequestHandler[] {
  const out: RequestHandler[] = [helmet()];
  // Closed by default: no Access-Control-* header at all, so browsers on other origins are refused.
  if (corsOrigins) out.push(cors({ origin: corsOrigins.split(','), allowedHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key', 'X-Request-Id'], exposedHeaders: ['X-Request-Id', 'Retry-After'] }));
  return out;
}

/**
 * Reads `Authorization: Bearer <key>` (or, for Open311 clients, which send it so, an `api_key`
 * parameter under /open311/); a key that does not hold is 401 at once, whatever the route.
 */
export function authenticate(keys: KeyStore): RequestHandler {
  return (req, res, next) => {
    localsOf(res).principal = null;
    const apiKey = req.path.startsWith('/open311/') ? ((req.query.api_key ?? (req.body as Record<string, unknown> | undefined)?.api_key) as unknown) : undefined;
    const header = req.header('Authorization') ?? (typeof apiKey === 'string' && apiKey ? `Bearer ${apiKey}` : undefined);
    if (header === undefined) return next();
    const m = /^Bearer\s+(\S+)$/i.exec(header);
    if (!m) {
      localsOf(res).badCredential = true;
      return next(new HttpError(401, 'UNAUTHENTICATED', 'the Authorization header must be "Bearer <API key>"'));
    }
    keys
      .verify(m[1]!)
      .then((p) => {
        if (!p) {
          localsOf(res).badCredential = true;
          return next(new HttpError(401, 'UNAUTHENTICATED', 'the API key is unknown, expired or revoked'));
        }
        localsOf(res).principal = p;
        next();
      })
      .catch(next);
  };
}

export function rateLimitPerKey(perMinute: number): RequestHandler {
  return rateLimit({
    windowMs: 60_000,
    limit: perMinute,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    keyGenerator: (req, res) => localsOf(res).principal?.keyId ?? ipKeyGenerator(req.ip ?? 'unknown'),
    handler: (_req, res, next) => {
      next(new HttpError(429, 'RATE_LIMITED', `more than ${perMinute} requests in a minute with this key; wait for the time Retry-After gives`));
    },
  });
}

/**
 * Guessing keys: a client address that presented more than `perMinute` bad credentials in a
 * minute is refused (429) before its next key is even looked up. Only bad credentials count, once
 * their answer is known: many good requests in flight at once from one address (a console, an
 * adapter, a centre behind one NAT) are never mistaken for guesses. (express-rate-limit's
 * skipSuccessfulRequests counts every request as it starts and takes the good ones back as they
 * finish, so 30 concurrent good requests were refused as guesses.)
 */
export function failedAuthLimit(perMinute: number, now: () => number = Date.now): RequestHandler {
  const windowMs = 60_000;
  const failures = new Map<string, { count: number; resetAt: number }>();
  const current = (address: string, t: number) => {
    const e = failures.get(address);
    if (e && e.resetAt <= t) failures.delete(address);
    return e && e.resetAt > t ? e : undefined;
  };
  return (req, res, next) => {
    const address = ipKeyGenerator(req.ip ?? 'unknown');
    const t = now();
    const e = current(address, t);
    if (e && e.count >= perMinute) {
      res.setHeader('Retry-After', String(Math.max(1, Math.ceil((e.resetAt - t) / 1000))));
      return next(new HttpError(429, 'TOO_MANY_BAD_KEYS', `more than ${perMinute} bad API keys from this address in a minute; wait for the time Retry-After gives`));
    }
    res.on('finish', () => {
      if (!localsOf(res).badCredential) return;
      const at = now();
      const seen = current(address, at);
      if (seen) seen.count++;
      else {
        // Forget addresses whose minute is over before the table grows without bound.
        if (failures.size >= 100_000) for (const [k, v] of failures) if (v.resetAt <= at) failures.delete(k);
        failures.set(address, { count: 1, resetAt: at + windowMs });
      }
    });
    next();
  };
}

/** The route's roles (ACCESS): 401 without a credential, 403 for a role the route does not take. */
export function guard(route: RouteKey): RequestHandler {
  const access = ACCESS[route];
  return (req, res, next) => {
    const locals = localsOf(res);
    locals.route = route;
    const target = req.params.orderNo ?? req.params.keyId;
    if (target !== undefined) locals.target = String(target);
    if (access === 'public') return next();
    const p = locals.principal;
    if (!p) return next(new HttpError(401, 'UNAUTHENTICATED', 'this endpoint needs an API key: Authorization: Bearer hub_…'));
    if (!(access as readonly string[]).includes(p.role)) {
      return next(new HttpError(403, 'FORBIDDEN', `a ${p.role} key may not ${route}; it takes ${(access as readonly string[]).join(', ')}`));
    }
    next();
  };
}

/**
 * One audit row per write (any method but GET and HEAD), per read that disclosed a citizen's
 * identity, and per refused request (401, 403, 429), written when the response is finished, with
 * who, what, which order, the outcome and where from.
 */
export function audit(trail: AuditTrail, log: Logger): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    let written = false;
    const entry = (outcome: string): void => {
      if (written) return;
      written = true;
      const l = localsOf(res);
      const write = req.method !== 'GET' && req.method !== 'HEAD';
      if (!write && !l.personalDataRead && ![401, 403, 429].includes(res.statusCode)) return;
      const p = l.principal ?? null;
      trail
        .record({
          actorKey: p?.keyId ?? null,
          actor: p?.name ?? 'anonymous',
          role: p?.role ?? null,
          unitCode: p?.unit ?? null,
          action: (l.route ?? `${req.method} ${req.path}`).slice(0, 120),
          target: l.target?.slice(0, 64) ?? null,
          outcome,
          source: (req.ip ?? 'unknown').slice(0, 100),
          requestId: l.requestId ?? null,
        })
        .catch((err: unknown) => log.error({ err, requestId: l.requestId }, 'audit entry could not be written'));
    };
    res.on('finish', () => entry(String(res.statusCode)));
    // A client that goes before its answer: the action may still commit. Audited once its handler
    // is done, with what it answered into the void.
    res.on('close', () => {
      if (res.writableFinished) return;
      void (localsOf(res).handled ?? Promise.resolve()).then(() => entry(`${res.statusCode} (the client left before the answer)`));
    });
    next();
  };
}
