/**
 * The UDP listener: one dgram socket per listen address, each datagram
 * answered synchronously from the current responder.
 *
 * vigil does not use dns2's UDP server here: dns2 decodes every message
 * into objects and encodes replies bit by bit, which `npm run bench`
 * measures at well under half the rate of a bare dgram socket.
 */
import dgram from 'node:dgram';
import type { ListenAddress } from '../config/index.js';
import { ListenError } from '../errors.js';
import type { Responder } from './responder.js';

/** A bound UDP socket. */
export interface UdpListener {
  readonly address: string;
  readonly port: number;
  close(): Promise<void>;
}

/** Binds `listen` and answers each datagram with `current().respond()`. */
export async function listenUdp(
  listen: ListenAddress,
  current: () => Responder,
  onError: (err: Error) => void,
): Promise<UdpListener> {
  const socket = dgram.createSocket({
    type: listen.family === 6 ? 'udp6' : 'udp4',
    ipv6Only: listen.family === 6,
  });

  socket.on('message', (msg, rinfo) => {
    const reply = current().respond(msg, 'udp');
    if (reply !== null) socket.send(reply, rinfo.port, rinfo.address);
  });

  await new Promise<void>((resolve, reject) => {
    socket.once('error', (err) =>
      reject(
        new ListenError(`cannot bind udp ${hostPort(listen)}: ${err.message}`, { cause: err }),
      ),
    );
    socket.bind(listen.port, listen.host, () => {
      socket.removeAllListeners('error');
      // A send to a vanished client raises an error event; it must not end the server.
      socket.on('error', onError);
      resolve();
    });
  });

  const bound = socket.address();
  return {
    address: bound.address,
    port: bound.port,
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}

/** `host:port`, IPv6 hosts in brackets. */
export function hostPort(listen: { host: string; port: number; family?: 4 | 6 }): string {
  return listen.host.includes(':')
    ? `[${listen.host}]:${listen.port}`
    : `${listen.host}:${listen.port}`;
}
