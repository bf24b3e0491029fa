/** Open311 requests on MySQL (usecases/ports.ts Open311Requests): their fields, and the list reads filtered in the database. */
import type { DataSource } from 'typeorm';
import type { Open311Fields, Open311Query } from '../../domain/open311.js';
import { DONE_STATUSES } from '../../domain/order.js';
import type { Open311Requests } from '../../usecases/ports.js';
import { WorkOrder } from './entities.js';

type FieldsRow = { order_no: string; service_code: string | null; lat: string | null; lng: string | null; address_id: string | null; zipcode: string | null; media_url: string | null };

export class SqlOpen311Requests implements Open311Requests {
  constructor(private readonly ds: DataSource) {}

  async recordOpen311(orderNo: string, application: string, f: Open311Fields, at: Date): Promise<void> {
    await this.ds.query('INSERT IGNORE INTO open311_request (order_no, application, service_code, lat, lng, address_id, zipcode, media_url, requested_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)', [
      orderNo,
      application,
      f.serviceCode,
      f.lat,
      f.long,
      f.addressId,
      f.zipcode,
      f.mediaUrl,
      at,
    ]);
  }

  async open311Requests(q: Open311Query): Promise<Awaited<ReturnType<Open311Requests['open311Requests']>>> {
    const qb = this.ds
      .getRepository(WorkOrder)
      .createQueryBuilder('w')
      .innerJoin('open311_request', 'r', 'r.order_no = w.order_no')
      .where('w.citizen_confidential = 0')
      .orderBy('r.requested_at', 'DESC')
      .addOrderBy('w.id', 'DESC')
      .limit(q.limit);
    if (q.ids) qb.andWhere('w.order_no IN (:...ids)', { ids: q.ids });
    else qb.andWhere('r.requested_at >= :since AND r.requested_at <= :until', { since: q.since, until: q.until });
    if (q.states && q.states.length === 1) qb.andWhere(`w.status ${q.states[0] === 'closed' ? 'IN' : 'NOT IN'} (:...done)`, { done: DONE_STATUSES });
    if (q.categories) qb.andWhere('w.category IN (:...categories)', { categories: q.categories });
    const orders = await qb.getMany();
    if (orders.length === 0) return [];
    const rows = (await this.ds.query('SELECT order_no, service_code, lat, lng, address_id, zipcode, media_url FROM open311_request WHERE order_no IN (?)', [orders.map((o) => o.orderNo)])) as FieldsRow[];
    const by = new Map(rows.map((r) => [r.order_no, r]));
    return orders.map((order) => {
      const r = by.get(order.orderNo ?? '');
      const fields: Open311Fields | null = r ? { serviceCode: r.service_code, lat: r.lat === null ? null : Number(r.lat), long: r.lng === null ? null : Number(r.lng), addressId: r.address_id, zipcode: r.zipcode, mediaUrl: r.media_url } : null;
      return { order, fields };
    });
  }
}
