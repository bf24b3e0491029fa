/**
 * HTTP pieces every HTTP adapter and simulator needs, so that none writes them again: a callback
 * server that takes a legacy system's messages (one path, a shared token compared in constant time,
 * a bounded body) and answers by what became of each, and a simulator's server that can go down
 * and come back on the same port.
 */
import { timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import { describeError, isRetriable } from '../../infra/errors.js';
import type { Logger } from '../../infra/log.js';
import { MappingError, type LegacyMessage } from './types.js';

/** What became of a message, for the system's answer: taken, refused for good, or "send it again later". */
export type CallbackOutcome = 'taken' | 'refused' | 'retry' | 'unauthorized' | 'not-found';

export interface CallbackServerOptions {
  /** For the error a port in use gives. */
  name: string;
  host: string;
  port: number;
  /** The one path the system posts to. */
  path: string;
  tokenHeader: string;
  token: string;
  log: Logger;
  /** Answers in the system's own way (its status codes, XML or JSON, its result codes). */
  answer: (res: http.ServerResponse, outcome: CallbackOutcome, message: string) => void;
  maxBody?: number;
}

const sameToken = (a: string, b: string): boolean => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/** Listens for the system's messages and hands each to `receive`; resolves once listening. */
export async function listenForCallbacks(o: CallbackServerOptions, receive: (m: LegacyMessage) => Promise<void>): Promise<{ close: () => Promise<void> }> {
  const max = o.maxBody ?? 256 * 1024;
  const server = http.createServer((req, res) => {
    if (req.method !== 'POST' || req.url !== o.path) return o.answer(res, 'not-found', `POST ${o.path} only`);
    const token = req.headers[o.tokenHeader];
    if (typeof token !== 'string' || !sameToken(token, o.token)) return o.answer(res, 'unauthorized', 'bad or missing token');
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > max) req.destroy();
      else chunks.push(c);
    });
    req.on('end', () => {
      receive({ body: Buffer.concat(chunks), contentType: req.headers['content-type'], receivedAt: new Date() }).then(
        () => o.answer(res, 'taken', 'ok'),
        (err: unknown) => {
          if (err instanceof MappingError) return o.answer(res, 'refused', describeError(err));
          o.log.warn({ reason: describeError(err), retriable: isRetriable(err) }, 'message not taken now; the system will send it again');
          o.answer(res, 'retry', 'try again later');
        },
      );
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err) => reject(new Error(`${o.name} callback cannot listen on ${o.host}:${o.port}: ${err.message}`)));
    server.listen(o.port, o.host, () => resolve());
  });
  return {
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** A simulator's HTTP server on loopback: down() closes the port (connections refused), up() opens the same one again. */
export class SimulatorServer {
  private server?: http.Server;
  private port = 0;

  constructor(
    private readonly handler: (req: http.IncomingMessage, res: http.ServerResponse) => void,
    private readonly wantedPort = 0,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async up(): Promise<string> {
    const server = http.createServer(this.handler);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port || this.wantedPort, '127.0.0.1', () => resolve());
    });
    this.port = (server.address() as { port: number }).port;
    this.server = server;
    return this.url;
  }

  async down(): Promise<void> {
    const s = this.server;
    this.server = undefined;
    if (s) await new Promise<void>((r) => {
      s.close(() => r());
      s.closeAllConnections();
    });
  }
}
