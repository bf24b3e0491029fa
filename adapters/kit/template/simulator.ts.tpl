/**
 * __NAME__ as the hub sees it, for the contract test and the demo: it takes orders (once per
 * requestId), gives ticket ids, and sends ack, progress and done back to the adapter's callback,
 * again until taken. Faults: down, busy, slow, twice, reversed. Make it speak the real system's
 * protocol.
 */
import { randomBytes } from 'node:crypto';
import type http from 'node:http';
import { SimulatorServer } from '../kit/http.js';
import { PATHS, TOKEN_HEADER, type Kind, type Notice, type OrderCall } from './protocol.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export class Simulator {
  readonly tickets = new Map<string, OrderCall>();
  private readonly byRequest = new Map<string, string>();
  reportsReceived = 0;
  /** Messages the adapter took, by ticket id. */
  readonly taken = new Map<string, Kind[]>();
  busy = 0;
  slowMs = 0;
  twice = false;
  reversed = false;
  private readonly http: SimulatorServer;
  private seq = 0;
  /** The system's ids are unique for ever: this one's start at a random base (a test database outlives a run). */
  private readonly idBase = randomBytes(3).toString('hex');
  private stopped = false;
  private readonly running = new Set<Promise<void>>();

  constructor(private readonly o: { callback: string; token: string; stepMs?: number; port?: number }) {
    this.http = new SimulatorServer((req, res) => void this.handle(req, res), this.o.port);
  }

  get url(): string {
    return this.http.url;
  }

  ticketsFor(orderNo: string): string[] {
    return [...this.tickets].filter(([, c]) => c.orderNo === orderNo).map(([id]) => id);
  }

  async start(): Promise<string> {
    await this.http.up();
    return this.url;
  }

  async down(): Promise<void> {
    await this.http.down();
  }

  up(): Promise<string> {
    return this.start();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.down();
    await Promise.allSettled([...this.running]);
  }

  /** Sends one message about a ticket, again until the adapter takes it. */
  async notify(ticketId: string, kind: Kind, text?: string): Promise<void> {
    const call = this.tickets.get(ticketId)!;
    const n: Notice = { messageId: `M${this.idBase}${++this.seq}`, ticketId, orderNo: call.orderNo, kind, text: text ?? (kind === 'done' ? `已办结：${call.title}` : undefined), by: '值班员', at: new Date().toISOString() };
    const once = async (): Promise<void> => {
      for (let i = 0; i < 60 && !this.stopped; i++) {
        const res = await fetch(new URL(PATHS.notify, this.o.callback), { method: 'POST', headers: { 'content-type': 'application/json', [TOKEN_HEADER]: this.o.token }, body: JSON.stringify(n) }).catch(() => undefined);
        if (res?.status === 200 || res?.status === 422) {
          if (res.status === 200) this.taken.set(ticketId, [...(this.taken.get(ticketId) ?? []), kind]);
          return;
        }
        await sleep(200 * 2 ** Math.min(i, 4));
      }
    };
    await once();
    if (this.twice) await once();
  }

  private async lifecycle(ticketId: string): Promise<void> {
    const kinds: Kind[] = ['ack', 'progress', 'done'];
    if (this.reversed) kinds.reverse();
    for (const k of kinds) {
      await sleep(this.o.stepMs ?? 100);
      if (this.stopped) return;
      await this.notify(ticketId, k);
    }
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const reply = (status: number, body: object): void => void res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (req.method !== 'POST' || req.url !== PATHS.orders) return reply(404, {});
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    this.reportsReceived++;
    if (this.busy > 0) {
      this.busy--;
      return reply(503, { error: 'busy' });
    }
    const call = JSON.parse(Buffer.concat(chunks).toString('utf8')) as OrderCall;
    const known = this.byRequest.get(call.requestId);
    if (known) return reply(200, { ticketId: known });
    const ticketId = `T${this.idBase}${String(this.tickets.size + 1).padStart(4, '0')}`;
    this.tickets.set(ticketId, call);
    this.byRequest.set(call.requestId, ticketId);
    if (this.slowMs) await sleep(this.slowMs);
    if (!res.destroyed) reply(200, { ticketId });
    const p = this.lifecycle(ticketId);
    this.running.add(p);
    void p.finally(() => this.running.delete(p));
  }
}
