/**
 * The audit trail (留痕): who did what to which order or key, when, from where, and how it went.
 * Append-only: the hub only inserts, and triggers in the database refuse UPDATE and DELETE.
 */
import type { DataSource } from 'typeorm';
import { AuditLog, type AuditRow } from './entities.js';
import type { AuditEntry } from '../../usecases/ports.js';

export type { AuditEntry };

export class AuditTrail {
  constructor(private readonly ds: DataSource) {}

  async record(e: AuditEntry): Promise<void> {
    await this.ds.getRepository(AuditLog).insert({ ...e, at: e.at ?? new Date() });
  }

  /** Newest first; `target` narrows to one order or key, `beforeId` pages back. */
  async list(q: { target?: string; limit: number; beforeId?: string }): Promise<AuditRow[]> {
    const qb = this.ds.getRepository(AuditLog).createQueryBuilder('a').orderBy('a.id', 'DESC').limit(q.limit);
    if (q.target) qb.andWhere('a.target = :target', { target: q.target });
    if (q.beforeId) qb.andWhere('a.id < :before', { before: q.beforeId });
    return qb.getMany();
  }
}
