/**
 * A city's emergency linkage platform for tests and the demo: it takes hand-overs over HTTP (one
 * per handoverId), and each line acknowledges after a moment with an incident id of its own,
 * sending the event again until the adapter takes it. A line can be silent (it never
 * acknowledges: the hub must alert and hand over again), and the platform down.
 *
 *   npx tsx adapters/emergency-linkage/simulator.ts --port 8097 --callback http://127.0.0.1:8098 --token <token>
 */
import { randomBytes } from 'node:crypto';
import type http from 'node:http';
import { pathToFileURL } from 'node:url';
import { SimulatorServer } from '../kit/http.js';
import { Command } from 'commander';
import { PATHS, TOKEN_HEADER, type HandoverCall, type LinkageEvent } from './protocol.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export class LinkageSimulator {
  /** Hand-overs taken (repeats of one handoverId once), in order. */
  readonly handovers: HandoverCall[] = [];
  private readonly seen = new Set<string>();
  /** Lines (by number) that never acknowledge. */
  readonly silent = new Set<string>();
  /** Acknowledgements the adapter took: case number → incident id. */
  readonly acknowledged = new Map<string, string>();
  private readonly idBase = randomBytes(3).toString('hex').toUpperCase();
  private seq = 0;
  private readonly http: SimulatorServer;
  private stopped = false;
  private readonly running = new Set<Promise<void>>();

  constructor(private readonly o: { callback: string; token: string; ackDelayMs?: number; port?: number }) {
    this.http = new SimulatorServer((req, res) => void this.handle(req, res), this.o.port);
  }

  get url(): string {
    return this.http.url;
  }

  handoversOf(caseNo: string): HandoverCall[] {
    return this.handovers.filter((h) => h.caseNo === caseNo);
  }

  async start(): Promise<string> {
    await this.http.up();
    return this.url;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.http.down();
    await Promise.allSettled([...this.running]);
  }

  /** The line acknowledges a case (and keeps sending it until it is taken). */
  async acknowledge(caseNo: string, line: string): Promise<string> {
    const incidentId = `JJ${line}${this.idBase}${String(++this.seq).padStart(5, '0')}`;
    const event: LinkageEvent = { eventId: `E${this.idBase}${this.seq}`, type: 'ack', line, caseNo, incidentId, operator: `${line}调度员`, time: new Date().toISOString() };
    for (let i = 0; i < 60 && !this.stopped; i++) {
      const res = await fetch(new URL(PATHS.events, this.o.callback), { method: 'POST', headers: { 'content-type': 'application/json', [TOKEN_HEADER]: this.o.token }, body: JSON.stringify(event) }).catch(() => undefined);
      if (res?.status === 200) {
        this.acknowledged.set(caseNo, incidentId);
        return incidentId;
      }
      if (res?.status === 422) return incidentId;
      await sleep(200 * 2 ** Math.min(i, 4));
    }
    return incidentId;
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const reply = (status: number, body: object): void => void res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (req.method !== 'POST' || req.url !== PATHS.handovers) return reply(404, {});
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const h = JSON.parse(Buffer.concat(chunks).toString('utf8')) as HandoverCall;
    if (!h.handoverId || !h.caseNo || !h.line || !h.callbackNumber || !h.location) return reply(400, { accepted: false, reason: '缺少必填项' });
    reply(200, { accepted: true });
    if (this.seen.has(h.handoverId)) return;
    this.seen.add(h.handoverId);
    this.handovers.push(h);
    if (this.silent.has(h.line)) return;
    const p = (async () => {
      await sleep(this.o.ackDelayMs ?? 200);
      if (!this.stopped) await this.acknowledge(h.caseNo, h.line);
    })();
    this.running.add(p);
    void p.finally(() => this.running.delete(p));
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const o = new Command('linkage-simulator')
    .requiredOption('--callback <url>', "the adapter's callback base URL")
    .requiredOption('--token <token>', 'ADAPTER_EMERGENCY_LINKAGE_CALLBACK_TOKEN')
    .option('--port <port>', 'where the platform listens (ADAPTER_EMERGENCY_LINKAGE_URL)', (v) => Number(v), 8097)
    .option('--silent <numbers>', 'lines that never acknowledge, comma-separated (e.g. 120)', '')
    .parse()
    .opts<{ callback: string; token: string; port: number; silent: string }>();
  const sim = new LinkageSimulator({ callback: o.callback, token: o.token, port: o.port, ackDelayMs: 2000 });
  for (const l of o.silent.split(',').filter(Boolean)) sim.silent.add(l);
  console.log(JSON.stringify({ msg: 'emergency linkage platform simulator listening', url: await sim.start() }));
  const stop = (): void => void sim.stop().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
