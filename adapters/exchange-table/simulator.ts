/**
 * A unit system behind an exchange table, for tests and the demo: its own database on a MySQL or
 * MariaDB server (the tables of protocol.ts), reached by the adapter through a TCP proxy the
 * simulator controls, so that the unit's database can be down (the port refuses) or slow (every
 * answer late) for real. The unit's staff are the test (or, from the command line, a desk that
 * acknowledges each new order and answers it after a while).
 *
 *   npx tsx adapters/exchange-table/simulator.ts --server mysql://root@127.0.0.1:3306 --database unit_exchange_demo --port 3407
 */
import net from 'node:net';
import { pathToFileURL } from 'node:url';
import { Command } from 'commander';
import mysql, { type Pool, type RowDataPacket } from 'mysql2/promise';
import { chinaLocal, TABLES_DDL, type OrderRow } from './protocol.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export interface AnswerInput {
  kind: '1' | '2' | '3' | '4' | '5';
  text?: string | null;
  /** The unit's own answer number; the same number again is the same answer sent twice. */
  fkbh?: string | null;
  by?: string;
  /** FKSJ as the unit's system writes it (China time text), or null for none. */
  at?: string | null;
  /** YQSJ: the date an extension asks for. */
  until?: string | null;
}

export class ExchangeTableSimulator {
  /** Wait this long before passing on each answer of the database (slow). */
  slowMs = 0;
  private pool?: Pool;
  private proxy?: net.Server;
  private readonly sockets = new Set<net.Socket>();
  private proxyPort = 0;
  private seq = 0;
  private readonly server: URL;

  /** `server`: mysql://user:password@host:port of a server where the simulator may create `database`. */
  constructor(server: string, readonly database: string, private readonly opts: { port?: number } = {}) {
    this.server = new URL(server);
  }

  /** What the adapter's DATABASE_URL is: the unit's database, through the proxy. */
  get url(): string {
    const u = new URL(this.server.toString());
    u.hostname = '127.0.0.1';
    u.port = String(this.proxyPort);
    u.pathname = `/${this.database}`;
    return u.toString();
  }

  async start(): Promise<string> {
    const admin = await mysql.createConnection({ host: this.server.hostname, port: Number(this.server.port || 3306), user: decodeURIComponent(this.server.username), password: decodeURIComponent(this.server.password) });
    await admin.query(`CREATE DATABASE IF NOT EXISTS \`${this.database}\` DEFAULT CHARACTER SET gbk`);
    await admin.end();
    this.pool = mysql.createPool({ host: this.server.hostname, port: Number(this.server.port || 3306), user: decodeURIComponent(this.server.username), password: decodeURIComponent(this.server.password), database: this.database, dateStrings: true, connectionLimit: 2 });
    for (const ddl of TABLES_DDL) await this.pool.query(ddl);
    await this.up();
    return this.url;
  }

  /** The unit's database goes down: its port refuses, open connections are cut. */
  async down(): Promise<void> {
    const p = this.proxy;
    this.proxy = undefined;
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
    if (p) await new Promise<void>((r) => p.close(() => r()));
  }

  async up(): Promise<void> {
    const proxy = net.createServer((client) => {
      const upstream = net.connect(Number(this.server.port || 3306), this.server.hostname);
      this.sockets.add(client).add(upstream);
      let chain = Promise.resolve();
      upstream.on('data', (chunk: Buffer) => {
        // Slow: every answer of the database comes late, in order.
        chain = chain.then(async () => {
          if (this.slowMs) await sleep(this.slowMs);
          if (!client.destroyed) client.write(chunk);
        });
      });
      client.pipe(upstream);
      const end = (): void => {
        client.destroy();
        upstream.destroy();
        this.sockets.delete(client);
        this.sockets.delete(upstream);
      };
      client.on('error', end).on('close', end);
      upstream.on('error', end).on('close', end);
    });
    await new Promise<void>((resolve) => proxy.listen(this.proxyPort || this.opts.port || 0, '127.0.0.1', () => resolve()));
    this.proxyPort = (proxy.address() as net.AddressInfo).port;
    this.proxy = proxy;
  }

  /** The orders the hub wrote into GD_XF. */
  async orders(orderNo?: string): Promise<OrderRow[]> {
    const [rows] = await this.pool!.query<RowDataPacket[]>(`SELECT * FROM GD_XF ${orderNo ? 'WHERE GDBH = ?' : ''} ORDER BY ID`, orderNo ? [orderNo] : []);
    return rows as OrderRow[];
  }

  /** The unit's system writes an answer into GD_FK; returns its FKBH. */
  async answer(orderNo: string, a: AnswerInput): Promise<string> {
    const fkbh = a.fkbh === undefined ? `FK${Date.now()}${String(++this.seq).padStart(4, '0')}` : a.fkbh;
    await this.pool!.query('INSERT INTO GD_FK (FKBH, GDBH, FKLX, FKNR, FKR, FKSJ, YQSJ) VALUES (?, ?, ?, ?, ?, ?, ?)', [
      fkbh, orderNo, a.kind, a.text ?? null, a.by ?? '燃气热线值班员', a.at === undefined ? chinaLocal(new Date()) : a.at, a.until ?? null,
    ]);
    return fkbh ?? '';
  }

  /** GD_FK rows of an order: what the adapter made of each (CLZT) and why (CLSM). */
  async answers(orderNo: string): Promise<Array<{ FKBH: string | null; FKLX: string; CLZT: string; CLSM: string | null }>> {
    const [rows] = await this.pool!.query<RowDataPacket[]>('SELECT FKBH, FKLX, CLZT, CLSM FROM GD_FK WHERE GDBH = ? ORDER BY ID', [orderNo]);
    return rows as Array<{ FKBH: string | null; FKLX: string; CLZT: string; CLSM: string | null }>;
  }

  /** A desk that acknowledges each new order and answers it `delayMs` later (the command line's mode). */
  async desk(delayMs: number, stopped: () => boolean): Promise<void> {
    while (!stopped()) {
      const [rows] = await this.pool!.query<RowDataPacket[]>("SELECT ID, GDBH, BT FROM GD_XF WHERE DQZT = '0' ORDER BY ID");
      for (const r of rows) {
        await this.pool!.query("UPDATE GD_XF SET DQZT = '1' WHERE ID = ?", [r.ID]);
        await this.answer(String(r.GDBH), { kind: '1' });
        setTimeout(() => void this.answer(String(r.GDBH), { kind: '3', text: `已处理：${String(r.BT)}` }).catch(() => undefined), delayMs);
      }
      await sleep(1000);
    }
  }

  async stop(opts: { drop?: boolean } = {}): Promise<void> {
    await this.down();
    if (opts.drop) await this.pool?.query(`DROP DATABASE IF EXISTS \`${this.database}\``);
    await this.pool?.end();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const o = new Command('exchange-table-simulator')
    .option('--server <url>', 'a MySQL/MariaDB server where the unit\'s database is made', 'mysql://root@127.0.0.1:3306')
    .option('--database <name>', 'the unit\'s database', 'unit_exchange_demo')
    .option('--port <port>', 'where the adapter reaches it (ADAPTER_EXCHANGE_TABLE_DATABASE_URL)', (v) => Number(v), 3407)
    .option('--delay-ms <ms>', 'how long the desk takes to answer', (v) => Number(v), 5000)
    .parse()
    .opts<{ server: string; database: string; port: number; delayMs: number }>();
  const sim = new ExchangeTableSimulator(o.server, o.database, { port: o.port });
  console.log(JSON.stringify({ msg: 'unit exchange-table simulator ready', databaseUrl: await sim.start() }));
  let stopped = false;
  const stop = (): void => {
    stopped = true;
    void sim.stop().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  await sim.desk(o.delayMs, () => stopped);
}
