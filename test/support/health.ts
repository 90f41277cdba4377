/**
 * Pieces shared by the tests that run health checks through a real vigil:
 * a minimal zone, a local HTTP target, the YAML of a quick check on it, and
 * a poll for a condition.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** A zone with just its apex NS and the nameserver's address. */
export const MINIMAL_ZONE =
  "'':\n  type: NS\n  value: ns1.example.com.\nns1:\n  type: A\n  value: 192.0.2.53\n";

export interface HttpTarget {
  server: http.Server;
  port: number;
  /** While false, every request gets 503 instead of 200 "ok". */
  healthy: boolean;
  close(): Promise<void>;
}

/** An HTTP server on 127.0.0.1 answering 200 "ok", or 503 while made unhealthy. */
export function httpTarget(): Promise<HttpTarget> {
  const target: HttpTarget = {
    server: http.createServer((_req, res) => {
      if (target.healthy) res.end('ok');
      else res.writeHead(503).end();
    }),
    port: 0,
    healthy: true,
    close: () => {
      target.server.closeAllConnections();
      return new Promise((resolve) => target.server.close(() => resolve()));
    },
  };
  return new Promise((resolve) =>
    target.server.listen(0, '127.0.0.1', () => {
      target.port = (target.server.address() as AddressInfo).port;
      resolve(target);
    }),
  );
}

/** YAML lines of HTTP check `name` on 127.0.0.1:`port`, decided by each probe (1 s interval). */
export function checkYaml(name: string, port: number): string[] {
  return [
    `  ${name}:`,
    '    type: http',
    `    host: ${name}.example.net`,
    '    address: 127.0.0.1',
    `    port: ${port}`,
    '    interval: 1s',
    '    timeout: 500ms',
    '    rise: 1',
    '    fall: 1',
  ];
}

/** `checks:` YAML with the one check `web` on `port`. */
export function quickCheckYaml(port: number): string[] {
  return ['checks:', ...checkYaml('web', port)];
}

/** Resolves once `test()` holds; rejects after `timeoutMs`. */
export async function until(test: () => boolean, timeoutMs = 8000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!test()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}
