/**
 * GET /metrics without a key, on a port of the process's own (METRICS_HOST:METRICS_PORT), for
 * Prometheus on the hub's private network: any process serves it, a workers-only or adapters-only
 * one too, and the scrape needs no API key that expires. Nothing else is served there.
 */
import http from 'node:http';
import { metrics } from '../infra/metrics.js';

export async function serveMetrics(host: string, port: number): Promise<{ close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0];
    if (req.method !== 'GET' || path !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('only GET /metrics is served here\n');
      return;
    }
    metrics.render().then(
      (text) => res.writeHead(200, { 'content-type': metrics.contentType }).end(text),
      (err: unknown) => res.writeHead(500, { 'content-type': 'text/plain' }).end(`metrics failed: ${(err as Error).message}\n`),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err) => reject(new Error(`metrics cannot listen on METRICS_HOST=${host} METRICS_PORT=${port}: ${err.message}`)));
    server.listen(port, host, () => resolve());
  });
  return {
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
