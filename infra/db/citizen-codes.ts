/**
 * One-time codes on MySQL (市民自助查询 by SMS): each code's hash, expiry and wrong tries, and its
 * SMS in the outbox in the same transaction. A phone's codes are counted under a lock on the
 * phone's first order (a row lock, no gap lock, as every transaction here).
 */
import type { DataSource } from 'typeorm';
import type { OutboxChannel } from '../../domain/outgoing.js';
import type { CitizenCodes } from '../../usecases/citizen-view.js';
import { insertOutbox, Transactions } from './transaction.js';

export class CitizenCodeStore implements CitizenCodes {
  private readonly txs: Transactions;
  constructor(
    private readonly ds: DataSource,
    private readonly clock: () => Date = () => new Date(),
    onOutbox: (channels: ReadonlySet<OutboxChannel>) => void = () => undefined,
  ) {
    this.txs = new Transactions(ds, onOutbox);
  }

  issue(c: Parameters<CitizenCodes['issue']>[0], perHour: number): Promise<boolean> {
    return this.txs.run(async (em, emitted) => {
      const now = this.clock();
      // Two requests at once for one phone wait for each other here: the limit holds.
      await em.query('SELECT id FROM work_order WHERE citizen_phone = ? ORDER BY id LIMIT 1 FOR UPDATE', [c.phone]);
      const [{ n }] = (await em.query('SELECT COUNT(*) AS n FROM citizen_code WHERE phone = ? AND created_at > ?', [c.phone, new Date(now.getTime() - 3_600_000)])) as [{ n: number | string }];
      if (Number(n) >= perHour) return false;
      await em.query('INSERT INTO citizen_code (phone, code_hash, created_at, expires_at) VALUES (?, ?, ?, ?)', [c.phone, c.codeHash, now, c.expiresAt]);
      // The row's key names the code, not the phone: the relay logs a failed row's key, never a citizen's number.
      await insertOutbox(em, `code:${c.codeHash.slice(0, 16)}`, [c.sms], now);
      emitted.add(c.sms.channel);
      return true;
    });
  }

  redeem(phone: string, codeHash: string, maxTries: number): Promise<boolean> {
    return this.txs.run(async (em) => {
      const now = this.clock();
      const [code] = (await em.query('SELECT id, code_hash, tries, used_at, expires_at FROM citizen_code WHERE phone = ? ORDER BY id DESC LIMIT 1 FOR UPDATE', [phone])) as Array<{ id: string; code_hash: string; tries: number; used_at: Date | null; expires_at: Date }>;
      if (!code || code.used_at !== null || new Date(code.expires_at) <= now || code.tries >= maxTries) return false;
      if (code.code_hash === codeHash) {
        await em.query('UPDATE citizen_code SET used_at = ? WHERE id = ?', [now, code.id]);
        return true;
      }
      await em.query('UPDATE citizen_code SET tries = tries + 1 WHERE id = ?', [code.id]);
      return false;
    });
  }
}
