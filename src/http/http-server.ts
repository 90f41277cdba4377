/**
 * The status API's HTTP listener (`server.http`): GET or HEAD on /healthz,
 * /status and /metrics, plain node:http with keep-alive.
 */
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { ListenAddress } from '../config/index.js';
import { ListenError } from '../errors.js';
import type { Logger } from '../log/index.js';
import { VigilMetrics } from './metrics.js';
import { yieldToEventLoop } from './slices.js';
import { hostPort, statusChunks, type StatusSections, type StatusSource } from './status.js';

/** Methods every route answers; others get 405 (RFC 9110 §15.5.6). */
const ALLOWED_METHODS = 'GET, HEAD';
const JSON_TYPE = 'application/json; charset=utf-8';

/** A reply body, whole or in chunks sent in order, and its Content-Type. */
interface Body {
  readonly type: string;
  readonly text: string | readonly string[];
}

/** What the API needs from the server. */
export interface HttpApiOptions {
  readonly listen: ListenAddress;
  readonly source: StatusSource;
  readonly sections: StatusSections;
  readonly log: Logger;
}

/**
 * Serves /healthz, /status and /metrics. Created with the server so the
 * metric hooks exist from the first probe; binds at listen().
 */
export class HttpApi {
  /** The metric families; the server feeds the monitor's hooks into it. */
  readonly metrics: VigilMetrics;
  readonly #options: HttpApiOptions;
  readonly #routes: ReadonlyMap<string, () => Promise<Body> | Body>;
  readonly #sockets = new Set<Socket>();
  #server: http.Server | undefined;

  constructor(options: HttpApiOptions) {
    this.#options = options;
    this.metrics = new VigilMetrics(options.source, options.sections.records);
    this.#routes = new Map<string, () => Promise<Body> | Body>([
      ['/healthz', () => ({ type: 'text/plain; charset=utf-8', text: 'ok\n' })],
      ['/status', async () => ({ type: JSON_TYPE, text: await this.#status() })],
      [
        '/metrics',
        async () => ({ type: this.metrics.contentType, text: await this.metrics.chunks() }),
      ],
    ]);
  }

  /** The bound address, once listening. */
  get address(): { address: string; port: number } | undefined {
    const bound = this.#server?.address() as AddressInfo | null | undefined;
    return bound ? { address: bound.address, port: bound.port } : undefined;
  }

  /** Binds the listener; rejects with a ListenError naming the address. */
  async listen(): Promise<void> {
    const { listen } = this.#options;
    const server = http.createServer((req, res) => void this.#handle(req, res));
    server.on('connection', (socket: Socket) => {
      this.#sockets.add(socket);
      socket.once('close', () => this.#sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', (err) => {
        const where = hostPort(listen.host, listen.port);
        reject(new ListenError(`cannot bind http ${where}: ${err.message}`, { cause: err }));
      });
      const ipv6Only = listen.family === 6;
      server.listen({ host: listen.host, port: listen.port, ipv6Only }, () => resolve());
    });
    server.on('error', (err) => this.#options.log.error({ err }, 'http listener failed'));
    this.#server = server;
  }

  /** Stops listening and closes every connection, idle or not. */
  async close(): Promise<void> {
    const server = this.#server;
    if (server === undefined) return;
    this.#server = undefined;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const socket of this.#sockets) socket.destroy();
    await closed;
  }

  async #handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?', 1)[0]!;
    const route = this.#routes.get(path);
    if (route === undefined) {
      void reply(res, 404, { type: 'text/plain; charset=utf-8', text: 'not found\n' });
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', ALLOWED_METHODS);
      void reply(res, 405, { type: 'text/plain; charset=utf-8', text: 'method not allowed\n' });
      return;
    }
    try {
      await reply(res, 200, await route());
    } catch (err) {
      this.#options.log.error({ err, path }, 'http request failed');
      if (res.headersSent) res.destroy();
      else void reply(res, 500, { type: 'text/plain; charset=utf-8', text: 'internal error\n' });
    }
  }

  #status(): Promise<string[]> {
    return statusChunks(this.#options.source, this.#options.sections);
  }
}

/**
 * Sends `body`, yielding to the event loop between chunks so a large
 * scrape does not hold up queries. node:http leaves the body out of
 * replies to HEAD by itself.
 */
async function reply(res: http.ServerResponse, status: number, body: Body): Promise<void> {
  const chunks = typeof body.text === 'string' ? [body.text] : body.text;
  let length = 0;
  for (const chunk of chunks) length += Buffer.byteLength(chunk, 'utf8');
  res.writeHead(status, {
    'Content-Type': body.type,
    'Content-Length': length,
    'Cache-Control': 'no-store',
  });
  for (let i = 0; i < chunks.length; i++) {
    if (i > 0) await yieldToEventLoop();
    // The client may have gone while we yielded.
    if (res.destroyed) return;
    res.write(chunks[i]!);
  }
  res.end();
}
