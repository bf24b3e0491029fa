import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An Open311 request's own fields (service code, lat/long, address_id, zipcode, media_url) kept
 * as columns, not parsed back out of the order's text; the list reads are queried here, filtered in
 * the database by date, state and category. Requests taken before get their row from their
 * order_external_ref line ("open311:<application>"), the coordinates and photo read once from the
 * text the hub wrote them into ("（位置 lat,long）", "图片：url").
 */
export class Open311Fields1766900000000 implements MigrationInterface {
  name = 'Open311Fields1766900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE open311_request (
      order_no VARCHAR(32) NOT NULL,
      application VARCHAR(72) NOT NULL,
      service_code VARCHAR(64) NULL,
      lat DECIMAL(9,6) NULL,
      lng DECIMAL(9,6) NULL,
      address_id VARCHAR(100) NULL,
      zipcode VARCHAR(20) NULL,
      media_url VARCHAR(500) NULL,
      requested_at DATETIME(3) NOT NULL,
      PRIMARY KEY (order_no),
      KEY idx_open311_requested (requested_at)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    const before = (await q.query(
      "SELECT r.order_no, SUBSTRING(r.`system`, 9) AS application, w.description, w.created_at FROM order_external_ref r JOIN work_order w ON w.order_no = r.order_no WHERE r.`system` LIKE 'open311:%'",
    )) as Array<{ order_no: string; application: string; description: string; created_at: Date }>;
    for (const r of before) {
      const at = /（位置 (-?[\d.]+),(-?[\d.]+)）/.exec(r.description);
      const media = /\n图片：(\S+)/.exec(r.description)?.[1] ?? null;
      await q.query('INSERT IGNORE INTO open311_request (order_no, application, service_code, lat, lng, media_url, requested_at) VALUES (?, ?, NULL, ?, ?, ?, ?)', [r.order_no, r.application, at?.[1] ?? null, at?.[2] ?? null, media, r.created_at]);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE open311_request');
  }
}
