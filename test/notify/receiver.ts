/**
 * A real HTTP receiver on 127.0.0.1 at a kernel-chosen port that records
 * every request and answers with the statuses it is given, in turn.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as received. */
export interface Received {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: unknown;
  /** performance.now() when the body had arrived. */
  atMs: number;
}

/** A running receiver. */
export interface Receiver {
  url: string;
  requests: Received[];
  close(): Promise<void>;
}

/** Answers the n-th request with `statuses[n]`, or the last one once they run out. */
export function startReceiver(statuses: number[] = [204]): Promise<Receiver> {
  const requests: Received[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const status = statuses[Math.min(requests.length, statuses.length - 1)] ?? 204;
      requests.push({
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown,
        atMs: performance.now(),
      });
      res.statusCode = status;
      res.end();
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}/hooks/vigil`,
        requests,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    }),
  );
}

export { until } from '../support/health.js';
