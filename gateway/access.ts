/**
 * Every endpoint of the gateway and the roles it accepts: the one table the gateway enforces,
 * the OpenAPI document shows, and the authorization test enumerates. The gateway refuses to
 * start with a route that has no line here.
 *
 * Order-level rules come on top, in the handlers: a unit sees and answers only its own orders
 * (another unit's order is 404 for it), never an order that complains about it.
 */
import { CENTRE_ROLES, ROLES, type Role } from '../domain/access.js';

export type Access = 'public' | readonly Role[];

const ORDER_READERS: readonly Role[] = [...CENTRE_ROLES, 'operator', 'unit'];

export const ACCESS = {
  'GET /healthz': 'public',
  'GET /readyz': 'public',
  'GET /api/v1/openapi.json': 'public',
  'GET /api/v1/asyncapi.json': 'public',
  'GET /api/v1/events/:type/schema.json': 'public',
  'GET /metrics': ['operator', 'admin'],
  'GET /api/v1/me': ROLES,
  'GET /api/v1/catalog': ROLES,
  'POST /api/v1/orders': ['call-taker', 'integration'],
  'POST /api/v1/orders/repeat-check': ['call-taker'],
  'GET /api/v1/orders': ORDER_READERS,
  'POST /api/v1/orders/search': ORDER_READERS,
  'POST /api/v1/orders/search.csv': ORDER_READERS,
  'GET /api/v1/orders/:orderNo': ORDER_READERS,
  'POST /api/v1/orders/:orderNo/acknowledge': ['unit'],
  'POST /api/v1/orders/:orderNo/reply': ['unit'],
  'POST /api/v1/orders/:orderNo/return': ['unit'],
  'POST /api/v1/orders/:orderNo/extension': ['unit'],
  'POST /api/v1/orders/:orderNo/sub-dispatch': ['unit'],
  'POST /api/v1/orders/:orderNo/on-site': ['unit'],
  'POST /api/v1/orders/:orderNo/progress': ['unit'],
  'POST /api/v1/orders/:orderNo/assign': ['dispatcher'],
  'POST /api/v1/orders/:orderNo/publish': ['supervisor'],
  'DELETE /api/v1/orders/:orderNo/publish': ['supervisor'],
  'GET /public/v1/orders': 'public',
  'GET /public/v1/orders/:orderNo': 'public',
  'GET /public/v1/contact/confirm': 'public',
  'POST /public/v1/contact/confirm': 'public',
  'GET /public/v1/progress': 'public',
  'POST /public/v1/progress': 'public',
  'POST /public/v1/evaluations': 'public',
  'POST /api/v1/orders/:orderNo/callback': ['callback-agent'],
  'GET /api/v1/tasks': ['dispatcher', 'supervisor', 'unit'],
  'POST /api/v1/tasks/:taskId/complete': ['dispatcher', 'supervisor', 'unit'],
  'GET /api/v1/statistics': ['supervisor', 'operator', 'process-owner'],
  'GET /api/v1/statistics.csv': ['supervisor', 'operator', 'process-owner'],
  'GET /api/v1/assessment': ['supervisor', 'operator', 'process-owner'],
  'GET /api/v1/duty-rota': ['supervisor', 'operator', 'admin'],
  'POST /api/v1/duty-rota': ['supervisor', 'admin'],
  'DELETE /api/v1/duty-rota/:shiftId': ['supervisor', 'admin'],
  'POST /api/v1/circulars': ['supervisor'],
  'GET /api/v1/circulars': ['supervisor', 'operator'],
  'GET /api/v1/circulars/:circularId': ['supervisor', 'operator'],
  'POST /api/v1/circulars/:circularId/edit': ['supervisor'],
  'POST /api/v1/circulars/:circularId/approve': ['supervisor'],
  'POST /api/v1/circulars/:circularId/discard': ['supervisor'],
  'POST /api/v1/orders/:orderNo/supervision-notice': ['supervisor'],
  'POST /api/v1/orders/:orderNo/instructions': ['supervisor'],
  'GET /api/v1/assessment.csv': ['supervisor', 'operator', 'process-owner'],
  'GET /api/v1/assessment.xlsx': ['supervisor', 'operator', 'process-owner'],
  'GET /api/v1/knowledge': [...CENTRE_ROLES, 'process-owner'],
  'GET /api/v1/knowledge/:entryId': [...CENTRE_ROLES, 'process-owner'],
  'POST /api/v1/knowledge': ['process-owner'],
  'DELETE /api/v1/knowledge/:entryId': ['process-owner'],
  'GET /api/v1/audit': ['supervisor', 'operator', 'admin'],
  'GET /api/v1/orders/:orderNo/trace': ['operator', 'admin'],
  'GET /api/v1/stuck': ['operator', 'admin'],
  'POST /api/v1/orders/:orderNo/retry': ['operator', 'admin'],
  'POST /api/v1/dead-letters/:id/replay': ['operator', 'admin'],
  'POST /api/v1/outbox/:id/replay': ['operator', 'admin'],
  'POST /api/v1/outbox/:id/republish': ['operator', 'admin'],
  'POST /api/v1/orders/:orderNo/cancel': ['supervisor', 'operator', 'admin'],
  'GET /api/v1/models': ['process-owner', 'operator', 'admin'],
  'GET /api/v1/models/:name': ['process-owner', 'operator', 'admin'],
  'POST /api/v1/models/:name': ['process-owner'],
  'POST /api/v1/models/:name/rollback': ['process-owner'],
  'GET /api/v1/keys': ['admin'],
  'POST /api/v1/keys': ['admin'],
  'DELETE /api/v1/keys/:keyId': ['admin'],
  'GET /open311/v2/discovery.:format': 'public',
  'GET /open311/v2/services.:format': 'public',
  'GET /open311/v2/services/:serviceCode.:format': 'public',
  'POST /open311/v2/requests.:format': ['integration'],
  // GeoReport v2's reads are public: anonymised, requests taken through Open311 only (gateway/open311.ts).
  'GET /open311/v2/requests.:format': 'public',
  'GET /open311/v2/requests/:requestId.:format': 'public',
} as const satisfies Record<string, Access>;

export type RouteKey = keyof typeof ACCESS;
