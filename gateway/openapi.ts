/** The OpenAPI 3.1 document, with request schemas generated from the zod schemas the gateway validates with. */
import { z } from 'zod';
import { callbackBody, createOrderBody, unitReplyBody } from './schemas.js';

const json = (schema: z.ZodType) => ({ content: { 'application/json': { schema: z.toJSONSchema(schema, { io: 'input' }) } } });
const error = { description: 'error', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };
const orderNo = { name: 'orderNo', in: 'path', required: true, schema: { type: 'string', pattern: '^GD\\d{14}$' } };

export function openApiDocument(): Record<string, unknown> {
  return {
    openapi: '3.1.0',
    info: { title: '12345 hotline integration hub', version: '1.0.0' },
    paths: {
      '/api/v1/catalog': { get: { summary: 'Categories, districts and units (codes and zh-CN names)', responses: { 200: { description: 'the catalog' } } } },
      '/api/v1/orders': {
        post: {
          summary: 'Register a request as a work order (受理)',
          parameters: [{ name: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string', maxLength: 128 } }],
          requestBody: { required: true, ...json(createOrderBody) },
          responses: { 201: { description: 'created: orderNo and link' }, 200: { description: 'the order an earlier request with this Idempotency-Key created' }, 400: error, 409: error, 413: error, 422: error },
        },
      },
      '/api/v1/orders/{orderNo}': { get: { summary: 'Status, unit, due time and full history', parameters: [orderNo], responses: { 200: { description: 'the order' }, 404: error } } },
      '/api/v1/units/{unit}/orders/{orderNo}/reply': {
        post: {
          summary: 'A unit replies with its result (反馈)',
          parameters: [{ name: 'unit', in: 'path', required: true, schema: { type: 'string' } }, orderNo],
          requestBody: { required: true, ...json(unitReplyBody) },
          responses: { 202: { description: 'accepted' }, 400: error, 403: error, 404: error, 409: error },
        },
      },
      '/api/v1/orders/{orderNo}/callback': {
        post: {
          summary: 'The callback result (回访): unsatisfied sends the order back to the unit once',
          parameters: [orderNo],
          requestBody: { required: true, ...json(callbackBody) },
          responses: { 202: { description: 'accepted' }, 400: error, 404: error, 409: error },
        },
      },
    },
    components: {
      schemas: {
        Error: {
          type: 'object',
          required: ['error'],
          properties: { error: { type: 'object', required: ['code', 'message'], properties: { code: { type: 'string' }, message: { type: 'string' }, details: {} } } },
        },
      },
    },
  };
}
