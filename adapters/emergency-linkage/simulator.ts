/**
 * A city's emergency linkage platform for tests and the demo: it takes hand-overs over HTTP (one
 * per handoverId) and the hub's answers to transfers (one per answerId); a line transfers matters
 * to 12345 on request (transfer()), and each line acknowledges after a moment with an incident id of its own,
 * sending the event again until the adapter takes it. A line can be silent (it never
 * acknowledges: the hub must alert and hand over again); the platform can be down, slow (it
 * answers past the adapter's time limit, having taken the call), and send every event twice.
 *
 *   npx tsx adapters/emergency-linkage/simulator.ts --port 8097 --callback http://127.0.0.1:8098 --token <token>
 */
import { randomBytes } from 'node:crypto';
import type http from 'node:http';
import { pathToFileURL } from 'node:url';
import { SimulatorServer } from '../kit/http.js';
import { Command } from 'commander';
import { PATHS, TOKEN_HEADER, type HandoverCall, type LinkageEvent, type TransferAnswerCall, type TransferResultCall } from './protocol.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export class LinkageSimulator {
  /** Hand-overs taken (repeats of one handoverId once), in order. */
  readonly handovers: HandoverCall[] = [];
  private readonly seen = new Set<string>();
  /** Lines (by number) that never acknowledge. */
  readonly silent = new Set<string>();
  /** The hub's answers to transfers (repeats of one answerId once), in order. */
  readonly transferAnswers: TransferAnswerCall[] = [];
  /** How 12345 ended the transfers it took (repeats of one resultId once), in order. */
  readonly transferResults: TransferResultCall[] = [];
  /** Acknowledgements the adapter took: case number → incident id. */
  readonly acknowledged = new Map<string, string>();
  /** Hand-over calls received, repeats included. */
  handoverCalls = 0;
  /** Each event is sent twice (the platform did not see the first answer). */
  twice = false;
  /** The platform answers calls this late (past the adapter's TIMEOUT_MS: it took them all the same). */
  slowMs = 0;
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

  /** The platform goes down: its port refuses connections. */
  down(): Promise<void> {
    return this.http.down();
  }

  /** It comes back on the same port. */
  async up(): Promise<void> {
    await this.http.up();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.http.down();
    await Promise.allSettled([...this.running]);
  }

  answersTo(incidentId: string): TransferAnswerCall[] {
    return this.transferAnswers.filter((a) => a.incidentId === incidentId);
  }

  resultsOf(incidentId: string): TransferResultCall[] {
    return this.transferResults.filter((r) => r.incidentId === incidentId);
  }

  /** The line reports what it did with a case it acknowledged (处警结果). Resolves with the callback's status. */
  async conclude(caseNo: string, line: string, result: string): Promise<number | undefined> {
    const incidentId = this.acknowledged.get(caseNo);
    if (!incidentId) throw new Error(`line ${line} never acknowledged ${caseNo}`);
    return this.send({ eventId: `R${this.idBase}${++this.seq}`, type: 'result', line, caseNo, incidentId, result, operator: `${line}处警员`, time: new Date().toISOString() });
  }

  /** A new incident id of a line (接警编号). */
  incidentId(line: string): string {
    return `JJ${line}${this.idBase}${String(++this.seq).padStart(5, '0')}`;
  }

  /** The line acknowledges a case (and keeps sending it until it is taken). */
  async acknowledge(caseNo: string, line: string): Promise<string> {
    const incidentId = this.incidentId(line);
    const event: LinkageEvent = { eventId: `E${this.idBase}${this.seq}`, type: 'ack', line, caseNo, incidentId, operator: `${line}调度员`, time: new Date().toISOString() };
    if ((await this.send(event)) === 200) this.acknowledged.set(caseNo, incidentId);
    return incidentId;
  }

  /**
   * The line transfers a matter to 12345 (110转12345), as a new platform event each time it is
   * called: sending the same incident again is what a platform that did not see the answer does.
   * Resolves with the callback's status (200 taken, 422 refused).
   */
  async transfer(t: Omit<LinkageEvent, 'eventId' | 'type'> & { incidentId: string }): Promise<number | undefined> {
    const event: LinkageEvent = { eventId: `T${this.idBase}${++this.seq}`, type: 'transfer', operator: `${t.line}接警员`, time: new Date().toISOString(), ...t };
    return this.send(event);
  }

  /** Sends an event until the adapter takes (200) or refuses (422) it; with `twice`, sends it once more. */
  private async send(event: LinkageEvent): Promise<number | undefined> {
    const status = await this.sendOnce(event);
    return this.twice ? this.sendOnce(event) : status;
  }

  private async sendOnce(event: LinkageEvent): Promise<number | undefined> {
    for (let i = 0; i < 60 && !this.stopped; i++) {
      const res = await fetch(new URL(PATHS.events, this.o.callback), { method: 'POST', headers: { 'content-type': 'application/json', [TOKEN_HEADER]: this.o.token }, body: JSON.stringify(event) }).catch(() => undefined);
      if (res?.status === 200 || res?.status === 422) return res.status;
      await sleep(200 * 2 ** Math.min(i, 4));
    }
    return undefined;
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const reply = (status: number, body: object): void => void res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (req.method !== 'POST' || (req.url !== PATHS.handovers && req.url !== PATHS.transferAnswers && req.url !== PATHS.transferResults)) return reply(404, {});
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    if (req.url === PATHS.transferResults) {
      const r = JSON.parse(Buffer.concat(chunks).toString('utf8')) as TransferResultCall;
      if (!r.resultId || !r.incidentId || !r.caseNo || !['closed', 'cancelled'].includes(r.outcome)) return reply(400, { accepted: false, reason: '缺少必填项' });
      reply(200, { accepted: true });
      if (this.seen.has(r.resultId)) return;
      this.seen.add(r.resultId);
      this.transferResults.push(r);
      return;
    }
    if (req.url === PATHS.transferAnswers) {
      const a = JSON.parse(Buffer.concat(chunks).toString('utf8')) as TransferAnswerCall;
      if (!a.answerId || !a.incidentId || typeof a.accepted !== 'boolean' || (a.accepted && !a.caseNo)) return reply(400, { accepted: false, reason: '缺少必填项' });
      if (this.slowMs > 0) await sleep(this.slowMs);
      reply(200, { accepted: true });
      if (this.seen.has(a.answerId)) return;
      this.seen.add(a.answerId);
      this.transferAnswers.push(a);
      return;
    }
    const h = JSON.parse(Buffer.concat(chunks).toString('utf8')) as HandoverCall;
    if (!h.handoverId || !h.caseNo || !h.line || !h.callbackNumber || !h.location) return reply(400, { accepted: false, reason: '缺少必填项' });
    this.handoverCalls++;
    if (this.slowMs > 0) await sleep(this.slowMs);
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
    .option('--transfer <item>', '110 transfers one matter of this transfer-list item to 12345 once the adapter answers (e.g. 110-01-01)')
    .parse()
    .opts<{ callback: string; token: string; port: number; silent: string; transfer?: string }>();
  const sim = new LinkageSimulator({ callback: o.callback, token: o.token, port: o.port, ackDelayMs: 2000 });
  for (const l of o.silent.split(',').filter(Boolean)) sim.silent.add(l);
  console.log(JSON.stringify({ msg: 'emergency linkage platform simulator listening', url: await sim.start() }));
  let told = 0;
  let concluded = 0;
  setInterval(() => {
    for (const a of sim.transferAnswers.slice(told)) console.log(JSON.stringify({ msg: '12345 answered a transfer', ...a }));
    told = sim.transferAnswers.length;
    for (const r of sim.transferResults.slice(concluded)) console.log(JSON.stringify({ msg: '12345 reported how a transfer ended', ...r }));
    concluded = sim.transferResults.length;
  }, 500).unref();
  if (o.transfer) {
    const incidentId = sim.incidentId('110');
    const status = await sim.transfer({ line: '110', incidentId, item: o.transfer, title: '楼上深夜装修', content: '楼上住户深夜装修，噪声扰民，非治安纠纷', location: '南开区鞍山西道100号3门', district: '南开区', callerName: '李女士', callerNumber: '13612345678' });
    console.log(JSON.stringify({ msg: '110 transferred a matter to 12345', incidentId, item: o.transfer, adapterAnswered: status ?? 'no answer' }));
  }
  const stop = (): void => void sim.stop().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
