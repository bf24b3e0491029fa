/** 110转12345: the transfers emergency lines sent, as the hub decided on them (accepted or declined). */
import type { DataSource, EntityManager } from 'typeorm';
import type { OutboxMessage, TransferIn, TransferRecord, Transfers } from '../../usecases/ports.js';
import { isDuplicateKey } from '../errors.js';
import { insertOutbox, type Transactions } from './transaction.js';

/** Records a transfer, in the transaction of the order it made (or of its refusal). */
export async function insertTransfer(em: EntityManager, t: TransferRecord): Promise<void> {
  await em.query('INSERT INTO partner_transfer (partner, incident_id, item, three_way_call, accepted, reason, order_no, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)', [
    t.partner, t.incidentId, t.item, t.threeWayCall ?? null, t.accepted, t.reason ?? null, t.orderNo, t.receivedAt,
  ]);
}

export class SqlTransfers implements Transfers {
  constructor(
    private readonly ds: DataSource,
    private readonly tx: Transactions,
    /** The hub's clock (tests move it). */
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** 110转12345: the transfer an emergency line sent under this incident id, as decided, or null. */
  async transferOf(partner: string, incidentId: string): Promise<TransferRecord | null> {
    const rows = (await this.ds.query('SELECT partner, incident_id, item, three_way_call, accepted, reason, order_no, received_at FROM partner_transfer WHERE partner = ? AND incident_id = ?', [partner, incidentId])) as Array<Record<string, unknown>>;
    const r = rows[0];
    if (!r) return null;
    return { partner: String(r.partner), incidentId: String(r.incident_id), item: String(r.item), threeWayCall: (r.three_way_call as string | null) ?? null, accepted: Boolean(Number(r.accepted)), reason: (r.reason as string | null) ?? null, orderNo: (r.order_no as string | null) ?? null, receivedAt: new Date(r.received_at as string) };
  }

  /**
   * 110转12345: records a transfer 12345 does not take, with the answer to the line, in one
   * transaction; 'duplicate' when this incident was recorded before (nothing is sent again).
   */
  async declineTransfer(t: TransferIn, answer: OutboxMessage): Promise<'declined' | 'duplicate'> {
    try {
      await this.tx.run(async (em, emitted) => {
        await insertTransfer(em, { partner: t.partner, incidentId: t.incidentId, item: t.item, threeWayCall: t.threeWayCall, reason: t.reason, accepted: false, orderNo: null, receivedAt: this.clock() });
        await insertOutbox(em, `${t.partner}:${t.incidentId}`, [answer], new Date());
        emitted.add(answer.channel);
      });
      return 'declined';
    } catch (err) {
      if (isDuplicateKey(err)) return 'duplicate';
      throw err;
    }
  }
}
