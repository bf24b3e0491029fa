/**
 * The unit's database, both ways: an INSERT IGNORE into GD_XF per dispatched order (the unique SJID
 * makes a repeat write nothing), and a poller of GD_FK that hands each waiting row (CLZT 0), oldest
 * first, to the kit and marks it taken (1) or refused (2, with the reason in CLSM). A row the hub
 * cannot take now (Kafka down) stays waiting and holds back the rows after it, keeping their order.
 */
import mysql, { type Pool, type RowDataPacket } from 'mysql2/promise';
import { describeError, isRetriable } from '../../infra/errors.js';
import type { Logger } from '../../infra/log.js';
import { LegacyError, MappingError, type Transport } from '../kit/types.js';
import type { AnswerRow, OrderRow } from './protocol.js';
import type { Settings } from './settings.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export function exchangeTableTransport(s: Settings, log: Logger): Transport<OrderRow, void> {
  const pool: Pool = mysql.createPool({ uri: s.DATABASE_URL, connectionLimit: 3, dateStrings: true, timezone: '+08:00', connectTimeout: s.TIMEOUT_MS, charset: 'utf8mb4' });
  let stopped = false;
  let loop: Promise<void> | undefined;
  const asLegacy = (err: unknown, what: string): LegacyError => new LegacyError(`${what}: ${describeError(err)}`, isRetriable(err));

  return {
    async send(row) {
      try {
        await pool.query({ sql: 'INSERT IGNORE INTO GD_XF (SJID, GDBH, LC, BT, NR, DZ, LXR, LXDH, BLSX, XFSJ) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)', timeout: s.TIMEOUT_MS }, [
          row.SJID, row.GDBH, row.LC, row.BT, row.NR, row.DZ, row.LXR, row.LXDH, row.BLSX, row.XFSJ,
        ]);
      } catch (err) {
        throw asLegacy(err, 'writing GD_XF');
      }
    },

    async listen(receive) {
      const round = async (): Promise<void> => {
        const [rows] = await pool.query<RowDataPacket[]>({ sql: "SELECT ID, FKBH, GDBH, FKLX, FKNR, FKR, FKSJ, YQSJ FROM GD_FK WHERE CLZT = '0' ORDER BY ID LIMIT 100", timeout: s.TIMEOUT_MS });
        for (const r of rows as AnswerRow[]) {
          if (stopped) return;
          try {
            await receive({ body: Buffer.from(JSON.stringify(r)), contentType: 'application/json', receivedAt: new Date() });
            await pool.query({ sql: "UPDATE GD_FK SET CLZT = '1', CLSM = NULL WHERE ID = ?", timeout: s.TIMEOUT_MS }, [r.ID]);
          } catch (err) {
            if (!(err instanceof MappingError)) throw err;
            await pool.query({ sql: "UPDATE GD_FK SET CLZT = '2', CLSM = ? WHERE ID = ?", timeout: s.TIMEOUT_MS }, [describeError(err).slice(0, 500), r.ID]);
          }
        }
      };
      loop = (async () => {
        let failing = false;
        while (!stopped) {
          try {
            await round();
            if (failing) log.info('GD_FK read again');
            failing = false;
          } catch (err) {
            if (!failing) log.warn({ reason: describeError(err) }, 'GD_FK not read (the unit\'s database or the hub is down); trying again');
            failing = true;
          }
          await sleep(failing ? Math.max(s.POLL_MS, 1000) : s.POLL_MS);
        }
      })();
    },

    async close() {
      stopped = true;
      await loop;
      await pool.end();
    },
  };
}
