/**
 * A digital city management system for tests and the demo, speaking its protocol over real HTTP:
 * it takes case reports (once per RequestId: a repeat gets the first case id), gives its own case
 * ids, and pushes each case's lifecycle back as GBK notices to the adapter's callback, sending a
 * notice again until it is taken, as such systems do. Faults to order: down (the port closed),
 * busy (ResultCode 9), slow (answers late), notices twice, notices out of order.
 *
 *   npx tsx adapters/digital-city/simulator.ts --port 8090 --callback http://127.0.0.1:8091 --token <token>
 */
import { randomBytes } from 'node:crypto';
import type http from 'node:http';
import { pathToFileURL } from 'node:url';
import { SimulatorServer } from '../kit/http.js';
import { Command } from 'commander';
import { answerXml, chinaLocal, decodeXml, noticeXml, parseXml, PATHS, RESULT, TOKEN_HEADER, type CaseReport, type Stage } from './protocol.js';

export interface SimulatorOptions {
  port?: number;
  /** The adapter's callback base URL (notices go to <callback>/dcm/notify). */
  callback: string;
  token: string;
  /** The stages each case goes through after it is reported; [] to run none (the test drives them). */
  lifecycle?: Stage[];
  /** Between two stages of a case. */
  stepMs?: number;
}

interface Case {
  caseId: string;
  report: CaseReport;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export class DigitalCitySimulator {
  readonly cases = new Map<string, Case>();
  private readonly byRequest = new Map<string, string>();
  /** Every report received, repeats included. */
  reportsReceived = 0;
  /** Notices the adapter took (ResultCode 0), by case id, stage by stage. */
  readonly taken = new Map<string, Stage[]>();
  /** Requests for the photos it serves (the hub keeps links and fetches none). */
  photoRequests = 0;
  /** What the adapter answered to notices it refused (ResultCode 1). */
  readonly refusals: string[] = [];
  /** Answer the next n reports ResultCode 9 (busy). */
  busy = 0;
  /** Wait this long before answering a report. */
  slowMs = 0;
  /** Send every notice twice. */
  twice = false;
  /** Send a case's stages last first (结案 before 立案). */
  reversed = false;
  private seq = 0;
  private readonly idBase = randomBytes(3).toString('hex').toUpperCase();
  private readonly http: SimulatorServer;
  private readonly sending = new Set<Promise<void>>();
  private stopped = false;

  constructor(private readonly o: SimulatorOptions) {
    this.http = new SimulatorServer((req, res) => void this.handle(req, res), this.o.port);
  }

  get url(): string {
    return this.http.url;
  }

  /** Distinct cases made for one hub order. */
  casesFor(orderNo: string): Case[] {
    return [...this.cases.values()].filter((c) => c.report.SourceNo === orderNo);
  }

  async start(): Promise<string> {
    await this.http.up();
    return this.url;
  }

  /** The system goes down: its port refuses connections until up(). */
  async down(): Promise<void> {
    await this.http.down();
  }

  up(): Promise<string> {
    return this.start();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.down();
    await Promise.allSettled([...this.sending]);
  }

  /** The photos a case's notices carry, as the system serves them: 处置 the one before, 结案 the one after. */
  photosOf(caseId: string, stage: Stage): string[] {
    if (stage === '处置') return [`${this.url}/photos/${caseId}/before.jpg`];
    if (stage === '结案') return [`${this.url}/photos/${caseId}/after.jpg`];
    return [];
  }

  /** Sends one notice of a case (and keeps sending it until it is taken or refused); `photos` in place of the stage's own. */
  notify(caseId: string, stage: Stage, opinion?: string, photos?: string): Promise<void> {
    const c = this.cases.get(caseId);
    if (!c) throw new Error(`no case ${caseId}`);
    const noticeId = `N${this.idBase}${String(++this.seq).padStart(6, '0')}`;
    const own = this.photosOf(caseId, stage).join(';');
    const body = noticeXml({ NoticeId: noticeId, CaseId: caseId, SourceNo: c.report.SourceNo, Stage: stage, Dept: '和平区城市管理委员会', Opinion: opinion ?? (stage === '结案' ? `已按${c.report.TypeName}处置完毕，现场核查合格` : undefined), OperateTime: chinaLocal(new Date()), ...((photos ?? own) ? { Photos: photos ?? own } : {}) });
    const send = async (): Promise<void> => {
      for (let attempt = 0; attempt < 60 && !this.stopped; attempt++) {
        try {
          const res = await fetch(new URL(PATHS.notify, this.o.callback), { method: 'POST', headers: { 'content-type': 'text/xml; charset=GBK', [TOKEN_HEADER]: this.o.token }, body, signal: AbortSignal.timeout(5000) });
          const a = parseXml(decodeXml(Buffer.from(await res.arrayBuffer()), res.headers.get('content-type') ?? undefined), 'Response');
          if (res.status === 200 && a.ResultCode === RESULT.ok) {
            this.taken.set(caseId, [...(this.taken.get(caseId) ?? []), stage]);
            return;
          }
          if (res.status === 200 && a.ResultCode === RESULT.refused) {
            this.refusals.push(a.Message ?? '');
            return;
          }
        } catch {
          // the adapter is down: send again
        }
        await sleep(Math.min(5000, 200 * 2 ** Math.min(attempt, 5)));
      }
    };
    const p = (async () => {
      await send();
      if (this.twice) await send();
    })();
    this.sending.add(p);
    void p.finally(() => this.sending.delete(p));
    return p;
  }

  private async runLifecycle(caseId: string): Promise<void> {
    const stages = [...(this.o.lifecycle ?? ['立案', '派遣', '处置', '核查', '结案'])];
    if (this.reversed) stages.reverse();
    for (const stage of stages) {
      await sleep(this.o.stepMs ?? 100);
      if (this.stopped) return;
      await this.notify(caseId, stage);
    }
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const answer = (a: { ResultCode: string; Message?: string; CaseId?: string }): void => {
      res.writeHead(200, { 'content-type': 'text/xml; charset=UTF-8' }).end(answerXml(a));
    };
    if (req.method === 'GET' && req.url?.startsWith('/photos/')) {
      this.photoRequests++;
      return void res.writeHead(200, { 'content-type': 'image/jpeg' }).end(Buffer.from([0xff, 0xd8, 0xff, 0xd9]));
    }
    if (req.method !== 'POST' || req.url !== PATHS.report) return void res.writeHead(404).end();
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    this.reportsReceived++;
    if (this.busy > 0) {
      this.busy--;
      return answer({ ResultCode: RESULT.busy, Message: '系统繁忙' });
    }
    let report: CaseReport;
    try {
      report = parseXml(decodeXml(Buffer.concat(chunks), req.headers['content-type']), 'CaseReport') as unknown as CaseReport;
    } catch (err) {
      return answer({ ResultCode: RESULT.refused, Message: `报文格式错误：${(err as Error).message}` });
    }
    if (!report.RequestId || !report.SourceNo) return answer({ ResultCode: RESULT.refused, Message: '缺少 RequestId 或 SourceNo' });
    const known = this.byRequest.get(report.RequestId);
    if (known) return answer({ ResultCode: RESULT.ok, Message: '重复上报，返回原案卷号', CaseId: known });
    // A real system's case ids are unique for ever: this one's start at a random number, so that a test database kept between runs never sees one twice.
    const caseId = `SZCG${chinaLocal(new Date()).slice(0, 10).replace(/-/g, '')}${this.idBase}${String(this.cases.size + 1).padStart(4, '0')}`;
    this.cases.set(caseId, { caseId, report });
    this.byRequest.set(report.RequestId, caseId);
    // Slow: the case is made at once, the answer comes late (the caller may have given up by then).
    if (this.slowMs) await sleep(this.slowMs);
    if (!res.destroyed) answer({ ResultCode: RESULT.ok, Message: '成功', CaseId: caseId });
    const run = this.runLifecycle(caseId);
    this.sending.add(run);
    void run.finally(() => this.sending.delete(run));
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const opts = new Command('digital-city-simulator')
    .requiredOption('--callback <url>', "the adapter's callback base URL (ADAPTER_DIGITAL_CITY_CALLBACK_HOST/PORT)")
    .requiredOption('--token <token>', 'ADAPTER_DIGITAL_CITY_CALLBACK_TOKEN')
    .option('--port <port>', 'where the system listens (ADAPTER_DIGITAL_CITY_URL)', (v) => Number(v), 8090)
    .option('--step-ms <ms>', 'between two stages of a case', (v) => Number(v), 2000)
    .parse()
    .opts<{ callback: string; token: string; port: number; stepMs: number }>();
  const sim = new DigitalCitySimulator({ port: opts.port, callback: opts.callback, token: opts.token, stepMs: opts.stepMs });
  console.log(JSON.stringify({ msg: 'digital city management simulator listening', url: await sim.start() }));
  const stop = (): void => void sim.stop().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
