/**
 * The OpenAPI document integrators generate clients from (gateway/openapi.ts): every operation
 * has a unique operationId, every 2xx JSON answer a schema, every $ref resolves. That the answers
 * hold what the schemas say is checked on the real gateway, every route × role
 * (test/gateway/access.int.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { openApiDocument } from '../../gateway/openapi.js';

type Op = { operationId?: string; responses: Record<string, { content?: Record<string, { schema: unknown }> }> };
const doc = openApiDocument() as { paths: Record<string, Record<string, Op>>; components: { schemas: Record<string, unknown> } };
const ops = Object.entries(doc.paths).flatMap(([path, ms]) => Object.entries(ms).map(([method, op]) => ({ where: `${method.toUpperCase()} ${path}`, op })));

describe('the OpenAPI document', () => {
  it('names every operation with an operationId of its own', () => {
    const ids = ops.map((o) => o.op.operationId);
    expect(ids.every((id) => typeof id === 'string' && /^[a-z][A-Za-z0-9]+$/.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    expect(doc.paths['/api/v1/orders/{orderNo}/reply']!.post!.operationId).toBe('postApiV1OrdersOrderNoReply');
  });

  it('gives every JSON answer of the API a schema, and the API answers are most of them', () => {
    const noSchema = ops.filter(({ where, op }) => where.includes('/api/v1/') && !/\.(csv|xlsx|json)\b|schema\.json|docs/.test(where.split(' ')[1]!.replace('{orderNo}', '')) && Object.entries(op.responses).some(([code, r]) => code.startsWith('2') && code !== '204' && !r.content));
    expect(noSchema.map((o) => o.where)).toEqual([]);
  });

  it('resolves every $ref', () => {
    const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"#\/components\/schemas\/([A-Za-z]+)"/g)].map((m) => m[1]!);
    expect(refs.length).toBeGreaterThan(30);
    expect([...new Set(refs)].filter((r) => !(r in doc.components.schemas))).toEqual([]);
  });
});
