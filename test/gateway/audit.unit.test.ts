/**
 * The gateway's audit trail (gateway/security.ts audit) as a request's life can end: answered, or
 * left by its client before the answer while the action goes on and commits. Every write is
 * audited once, either way. The rows on MySQL, through the gateway: test/gateway/access.int.test.ts.
 */
import { EventEmitter } from 'node:events';
import type { Request, Response } from 'express';
import { describe, expect, it } from 'vitest';
import { audit } from '../../gateway/security.js';
import type { AuditTrail } from '../../infra/db/audit.js';
import { createLogger } from '../../infra/log.js';

type Entry = Parameters<AuditTrail['record']>[0];

function request(method: string): { req: Request; res: Response & EventEmitter; entries: Entry[]; run: () => void } {
  const entries: Entry[] = [];
  const trail = { record: async (e: Entry) => void entries.push(e) } as unknown as AuditTrail;
  const req = { method, path: '/api/v1/orders/GD20261207000001/reply', ip: '127.0.0.1' } as Request;
  const res = Object.assign(new EventEmitter(), { locals: { requestId: 'r1', principal: { keyId: 'k1', name: '水务集团', role: 'unit', unit: 'water-group' }, route: 'POST /api/v1/orders/:orderNo/reply', target: 'GD20261207000001' }, statusCode: 200, writableFinished: false }) as unknown as Response & EventEmitter;
  return { req, res, entries, run: () => audit(trail, createLogger('silent'))(req, res, () => undefined) };
}
const settle = () => new Promise((r) => setTimeout(r, 0));

describe('the audit trail of a request', () => {
  it('records an answered write once, with its status', async () => {
    const { res, entries, run } = request('POST');
    run();
    res.statusCode = 202;
    Object.assign(res, { writableFinished: true });
    res.emit('finish');
    res.emit('close');
    await settle();
    expect(entries.map((e) => [e.action, e.target, e.outcome])).toEqual([['POST /api/v1/orders/:orderNo/reply', 'GD20261207000001', '202']]);
  });

  it('records a write whose client left before the answer, once the action is done, saying so', async () => {
    const { res, entries, run } = request('POST');
    let commit!: () => void;
    res.locals.handled = new Promise<void>((r) => (commit = r));
    run();
    res.emit('close'); // the client hung up; the handler is still at work
    await settle();
    expect(entries, 'nothing is known yet: the action has not ended').toEqual([]);
    res.statusCode = 202;
    commit();
    await settle();
    expect(entries.map((e) => [e.actor, e.outcome])).toEqual([['水务集团', '202 (the client left before the answer)']]);
  });

  it('records nothing for a read that disclosed nobody', async () => {
    const { res, entries, run } = request('GET');
    run();
    res.emit('close');
    await settle();
    expect(entries).toEqual([]);
  });
});
