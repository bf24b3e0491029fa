/** Human tasks (人工任务) as people's lists show them; they are opened and closed in an order's transaction (orders.ts). */
import type { DataSource } from 'typeorm';
import type { HumanTaskRow, Tasks } from '../../usecases/ports.js';
import { HumanTask } from './entities.js';

export class SqlTasks implements Tasks {
  constructor(private readonly ds: DataSource) {}

  /** Open human tasks for a role (and a unit), oldest first; or every task of one order. */
  tasks(q: { role?: string; unit?: string; orderNo?: string; kind?: string; status?: 'open' | 'done'; limit: number; afterId?: string }): Promise<HumanTaskRow[]> {
    const qb = this.ds.getRepository(HumanTask).createQueryBuilder('t').orderBy('t.id', 'ASC').limit(q.limit);
    if (q.role) qb.andWhere('t.role = :role', { role: q.role });
    if (q.unit) qb.andWhere('t.unit_code = :unit', { unit: q.unit });
    if (q.orderNo) qb.andWhere('t.order_no = :orderNo', { orderNo: q.orderNo });
    if (q.status) qb.andWhere('t.status = :status', { status: q.status });
    if (q.kind) qb.andWhere('t.kind = :kind', { kind: q.kind });
    if (q.afterId) qb.andWhere('t.id > :after', { after: q.afterId });
    return qb.getMany();
  }

  /** Open tasks past their deadline and not chased yet, oldest deadline first. */
  overdueTasks(now: Date, limit: number): Promise<HumanTaskRow[]> {
    return this.ds
      .getRepository(HumanTask)
      .createQueryBuilder('t')
      .where("t.status = 'open' AND t.due_at < :now AND t.chased_at IS NULL", { now })
      .orderBy('t.due_at', 'ASC')
      .limit(limit)
      .getMany();
  }

  task(id: string): Promise<HumanTaskRow | null> {
    return this.ds.getRepository(HumanTask).findOneBy({ id });
  }
}
