/**
 * Request rate, errors and duration per route template, as Prometheus and the OpenTelemetry HTTP
 * conventions name them: `http_server_request_duration_seconds{method, route, status_code}` (its
 * `_count` is the request rate, `status_code=~"5.."` the errors). The route is the template
 * (`GET /api/v1/orders/:no`), never the path a client sent: an order number or a probe's random
 * path does not become a series of its own.
 */
import type { NextFunction, Request, Response } from 'express';
import { metrics } from '../infra/metrics.js';
import { localsOf } from './security.js';

const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** The route a finished request counts under: its template, the console's files, or "unmatched". */
export function routeLabel(template: string | undefined, path: string): string {
  if (template) return template.slice(template.indexOf(' ') + 1);
  if (path.startsWith('/console/')) return '/console';
  return 'unmatched';
}

export function countRequests() {
  return (req: Request, res: Response, next: NextFunction): void => {
    const started = process.hrtime.bigint();
    res.once('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const labels = { method: req.method, route: routeLabel(localsOf(res).route, req.path), status_code: String(res.statusCode) };
      metrics.observe('http_server_request_duration_seconds', 'HTTP requests the gateway answered, by method, route template and status, with their time', labels, seconds, BUCKETS);
    });
    next();
  };
}
