/** 附件 on MySQL: an order's files (bytes or an app's link), listed without their bytes, read one at a time. */
import { createHash } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { AttachmentKind } from '../../domain/attachments.js';

export interface AttachmentRow {
  id: string;
  orderNo: string;
  kind: AttachmentKind;
  name: string;
  contentType: string | null;
  size: number | null;
  sha256: string | null;
  url: string | null;
  unitCode: string | null;
  addedBy: string;
  replyId: string | null;
  signedOffBy: string | null;
  createdAt: Date;
}

const COLUMNS = 'id, order_no, kind, name, content_type, size, sha256, url, unit_code, added_by, reply_id, signed_off_by, created_at';
const rowOf = (r: Record<string, unknown>): AttachmentRow => ({
  id: String(r.id),
  orderNo: String(r.order_no),
  kind: r.kind as AttachmentKind,
  name: String(r.name),
  contentType: (r.content_type as string | null) ?? null,
  size: r.size === null ? null : Number(r.size),
  sha256: (r.sha256 as string | null) ?? null,
  url: (r.url as string | null) ?? null,
  unitCode: (r.unit_code as string | null) ?? null,
  addedBy: String(r.added_by),
  replyId: (r.reply_id as string | null) ?? null,
  signedOffBy: (r.signed_off_by as string | null) ?? null,
  createdAt: new Date(r.created_at as string),
});

export class AttachmentStore {
  constructor(
    private readonly ds: DataSource,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /**
   * Keeps a file on an order, unless the order already has `maxPerOrder` (counted under a lock on
   * the order's files, so that uploads at once cannot pass the limit together): its row, or null.
   */
  async add(a: { orderNo: string; kind: AttachmentKind; name: string; contentType: string; data: Buffer; unitCode: string | null; addedBy: string }, maxPerOrder: number): Promise<AttachmentRow | null> {
    const sha256 = createHash('sha256').update(a.data).digest('hex');
    return this.ds.transaction(async (em) => {
      // The order's row is the lock: every upload to one order waits for the one before.
      await em.query('SELECT id FROM work_order WHERE order_no = ? FOR UPDATE', [a.orderNo]);
      const [{ n }] = (await em.query('SELECT COUNT(*) AS n FROM order_attachment WHERE order_no = ?', [a.orderNo])) as [{ n: string | number }];
      if (Number(n) >= maxPerOrder) return null;
      const r = (await em.query('INSERT INTO order_attachment (order_no, kind, name, content_type, size, sha256, data, unit_code, added_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)', [
        a.orderNo, a.kind, a.name, a.contentType, a.data.length, sha256, a.data, a.unitCode, a.addedBy, this.clock(),
      ])) as { insertId: number | string };
      const [row] = (await em.query(`SELECT ${COLUMNS} FROM order_attachment WHERE id = ?`, [r.insertId])) as Array<Record<string, unknown>>;
      return rowOf(row!);
    });
  }

  /**
   * A link to a file (Open311 media_url; a unit's system's photo), kept as given and never fetched;
   * once per order and address, so that an event read again adds nothing. An intake link unless
   * `unitCode` says whose reply it goes with.
   */
  async addLink(a: { orderNo: string; name: string; url: string; addedBy: string; unitCode?: string; replyId?: string }): Promise<void> {
    await this.ds.query(
      'INSERT INTO order_attachment (order_no, kind, name, url, unit_code, reply_id, added_by, created_at) SELECT ?, ?, ?, ?, ?, ?, ?, ? FROM DUAL WHERE NOT EXISTS (SELECT 1 FROM order_attachment WHERE order_no = ? AND url = ?)',
      [a.orderNo, a.unitCode ? 'reply' : 'intake', a.name, a.url, a.unitCode ?? null, a.replyId ?? null, a.addedBy, this.clock(), a.orderNo, a.url],
    );
  }

  async count(orderNo: string): Promise<number> {
    const [{ n }] = (await this.ds.query('SELECT COUNT(*) AS n FROM order_attachment WHERE order_no = ?', [orderNo])) as [{ n: string | number }];
    return Number(n);
  }

  /** The order's files, oldest first, without their bytes. */
  async list(orderNo: string): Promise<AttachmentRow[]> {
    return ((await this.ds.query(`SELECT ${COLUMNS} FROM order_attachment WHERE order_no = ? ORDER BY id`, [orderNo])) as Array<Record<string, unknown>>).map(rowOf);
  }

  /** One file of the order, with its bytes; null when the order has no such file. */
  async read(orderNo: string, id: string): Promise<(AttachmentRow & { data: Buffer | null }) | null> {
    const [r] = (await this.ds.query(`SELECT ${COLUMNS}, data FROM order_attachment WHERE order_no = ? AND id = ?`, [orderNo, id])) as Array<Record<string, unknown>>;
    return r ? { ...rowOf(r), data: (r.data as Buffer | null) ?? null } : null;
  }

  /**
   * A unit's files go with its reply, signed off by its leader: only its own files on the order
   * not yet with a reply. The ids it named that are not such files: refused before the reply.
   */
  async unlinked(orderNo: string, unitCode: string, ids: readonly string[]): Promise<string[]> {
    if (ids.length === 0) return [];
    const rows = (await this.ds.query("SELECT id FROM order_attachment WHERE order_no = ? AND unit_code = ? AND kind = 'reply' AND reply_id IS NULL AND id IN (?)", [orderNo, unitCode, ids])) as Array<{ id: string | number }>;
    const found = new Set(rows.map((r) => String(r.id)));
    return ids.filter((id) => !found.has(id));
  }

  async linkToReply(orderNo: string, unitCode: string, ids: readonly string[], replyId: string, signedOffBy: string): Promise<void> {
    if (ids.length === 0) return;
    await this.ds.query("UPDATE order_attachment SET reply_id = ?, signed_off_by = ? WHERE order_no = ? AND unit_code = ? AND kind = 'reply' AND reply_id IS NULL AND id IN (?)", [replyId, signedOffBy, orderNo, unitCode, ids]);
  }
}
