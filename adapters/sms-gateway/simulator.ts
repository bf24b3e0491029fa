/**
 * An SMS gateway for tests and the demo: its HTTP API over a real port, one message per msgId,
 * 70 characters to a segment, and its faults (down, busy, slow). What it "sent" is kept per mobile.
 *
 *   npx tsx adapters/sms-gateway/simulator.ts --port 8095 --key demo-sms-key
 */
import type http from 'node:http';
import { pathToFileURL } from 'node:url';
import { SimulatorServer } from '../kit/http.js';
import { Command } from 'commander';
import { KEY_HEADER, SEND_PATH, type SmsAnswer, type SmsRequest } from './protocol.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export class SmsGatewaySimulator {
  /** Messages sent, by mobile. */
  readonly sent = new Map<string, Array<{ msgId: string; content: string; segments: number }>>();
  private readonly seen = new Set<string>();
  requests = 0;
  busy = 0;
  slowMs = 0;
  private readonly http: SimulatorServer;

  constructor(private readonly key: string, private readonly opts: { port?: number } = {}) {
    this.http = new SimulatorServer((req, res) => void this.handle(req, res), this.opts.port);
  }

  get url(): string {
    return this.http.url;
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

  stop(): Promise<void> {
    return this.down();
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const answer = (status: number, a: SmsAnswer): void => void res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(a));
    if (req.method !== 'POST' || req.url !== SEND_PATH) return answer(404, { code: 'BAD_KEY', message: 'no such API' });
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    this.requests++;
    if (req.headers[KEY_HEADER] !== this.key) return answer(401, { code: 'BAD_KEY' });
    if (this.slowMs) await sleep(this.slowMs);
    if (this.busy > 0) {
      this.busy--;
      return answer(200, { code: 'BUSY', message: '通道繁忙' });
    }
    const m = JSON.parse(Buffer.concat(chunks).toString('utf8')) as SmsRequest;
    if (!/^1[3-9]\d{9}$/.test(m.mobile)) return answer(200, { code: 'INVALID_MOBILE' });
    const chars = [...m.content].length;
    if (chars > 500) return answer(200, { code: 'TOO_LONG' });
    if (!this.seen.has(m.msgId)) {
      this.seen.add(m.msgId);
      this.sent.set(m.mobile, [...(this.sent.get(m.mobile) ?? []), { msgId: m.msgId, content: m.content, segments: chars <= 70 ? 1 : Math.ceil(chars / 67) }]);
    }
    if (!res.destroyed) answer(200, { code: 'OK', msgId: m.msgId });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const o = new Command('sms-gateway-simulator').option('--port <port>', 'where it listens (SMS_URL)', (v) => Number(v), 8095).requiredOption('--key <key>', 'SMS_KEY').parse().opts<{ port: number; key: string }>();
  const sim = new SmsGatewaySimulator(o.key, { port: o.port });
  console.log(JSON.stringify({ msg: 'SMS gateway simulator listening', url: await sim.start() }));
  const stop = (): void => void sim.stop().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
