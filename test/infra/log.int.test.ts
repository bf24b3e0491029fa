import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../infra/config.js';
import { createDataSource, openDataSource } from '../../infra/db/data-source.js';
import { createLogger } from '../../infra/log.js';

describe('logs never carry a citizen identity', () => {
  it('logs a failed query with its error code but without the citizen name and phone it was given', async () => {
    const lines: string[] = [];
    const sink = new Writable({ write: (chunk: Buffer, _enc, cb) => (lines.push(chunk.toString()), cb()) });
    const log = createLogger('info', sink);
    const ds = await openDataSource(createDataSource(loadConfig()));
    try {
      // A real failure from the real server, whose parameters are a citizen's name and phone.
      const failure = await ds
        .query('INSERT INTO work_order (citizen_name, citizen_phone, no_such_column) VALUES (?, ?, ?)', ['张三丰', '13912345678', 1])
        .catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(Error);
      expect(JSON.stringify(failure, Object.getOwnPropertyNames(failure))).toContain('13912345678'); // the raw error does carry it
      log.error({ err: failure, citizen: { name: '张三丰', phone: '13912345678' } }, 'insert failed');
      await new Promise((r) => setImmediate(r));
      const out = lines.join('');
      expect(out).toContain('ER_BAD_FIELD_ERROR');
      expect(out).not.toContain('13912345678');
      expect(out).not.toContain('张三丰');
    } finally {
      await ds.destroy();
    }
  });
});
