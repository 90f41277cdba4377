/**
 * The TCP listener (RFC 7766): messages framed by a two-octet length
 * (RFC 1035 §4.2.2), several per connection, pipelined queries answered in
 * order, idle connections closed, and a cap on open connections.
 */
import net from 'node:net';
import type { ListenAddress } from '../config/index.js';
import { ListenError } from '../errors.js';
import type { Responder } from './responder.js';
import { hostPort } from './udp.js';

/** Limits for one TCP listener. */
export interface TcpOptions {
  /** A connection with no complete query for this long is closed (RFC 7766 §6.2.3). */
  readonly idleTimeoutMs: number;
  readonly maxConnections: number;
}

/** A listening TCP server. */
export interface TcpListener {
  readonly address: string;
  readonly port: number;
  /** Connections open now. */
  connections(): number;
  close(): Promise<void>;
}

/** Binds `listen` and answers each framed query from `current()`. */
export async function listenTcp(
  listen: ListenAddress,
  options: TcpOptions,
  current: () => Responder,
): Promise<TcpListener> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer({ noDelay: true }, (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    serveConnection(socket, options, current);
  });
  // Past the cap the kernel's accepted socket is closed at once by Node.
  server.maxConnections = options.maxConnections;

  await new Promise<void>((resolve, reject) => {
    server.once('error', (err) =>
      reject(
        new ListenError(`cannot bind tcp ${hostPort(listen)}: ${err.message}`, { cause: err }),
      ),
    );
    server.listen({ port: listen.port, host: listen.host, ipv6Only: listen.family === 6 }, () =>
      resolve(),
    );
  });

  const bound = server.address() as net.AddressInfo;
  return {
    address: bound.address,
    port: bound.port,
    connections: () => sockets.size,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  };
}

/**
 * Reads frames as they complete. A frame must arrive whole within the idle
 * timeout of its first byte, so a client that trickles bytes cannot hold a
 * connection open forever.
 */
function serveConnection(socket: net.Socket, options: TcpOptions, current: () => Responder): void {
  let pending: Buffer = Buffer.alloc(0);
  let frameTimer: NodeJS.Timeout | undefined;

  socket.setTimeout(options.idleTimeoutMs, () => socket.destroy());
  socket.on('error', () => socket.destroy());
  socket.on('close', () => clearTimeout(frameTimer));

  socket.on('data', (chunk: Buffer) => {
    pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
    let completed = false;
    socket.cork();
    while (pending.length >= 2) {
      const length = pending.readUInt16BE(0);
      if (pending.length < 2 + length) break;
      const msg = pending.subarray(2, 2 + length);
      pending = pending.subarray(2 + length);
      completed = true;
      const reply = current().respond(msg, 'tcp');
      if (reply === null) continue;
      const frame = Buffer.allocUnsafe(2 + reply.length);
      frame.writeUInt16BE(reply.length, 0);
      reply.copy(frame, 2);
      socket.write(frame);
    }
    socket.uncork();
    // A client that sends faster than it reads its replies stops being read
    // until its replies drain, so it cannot grow our write buffer unbounded.
    if (socket.writableNeedDrain) {
      socket.pause();
      socket.once('drain', () => socket.resume());
    }

    // The deadline runs from a frame's first byte and is not pushed back by
    // later bytes of the same frame.
    if (pending.length === 0 || completed) {
      clearTimeout(frameTimer);
      frameTimer = undefined;
    }
    if (pending.length > 0 && frameTimer === undefined) {
      frameTimer = setTimeout(() => socket.destroy(), options.idleTimeoutMs);
    }
  });
}
