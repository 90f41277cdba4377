#!/usr/bin/env node
// The ceiling: a bare node:dgram server that answers every query with one
// precomputed response, copying only the query's 16-bit ID into it. It does
// no parsing and no lookup, so no Node UDP DNS server can be faster on the
// same machine. dnsperf matches responses by ID only, so the fixed question
// does not matter to it.
// Usage: node bench/echo-server.mjs <port> [address]
import { createSocket } from 'node:dgram';

const port = Number(process.argv[2] ?? 5300);
const address = process.argv[3] ?? '127.0.0.1';

/** h000003.bench.example. A -> 192.0.2.1, TTL 3600, QR AA set (RFC 1035 §4.1). */
function buildResponse() {
  const qname = Buffer.concat([
    ...['h000003', 'bench', 'example'].map((l) => Buffer.from([l.length, ...Buffer.from(l)])),
    Buffer.from([0]),
  ]);
  const header = Buffer.from([0, 0, 0x84, 0x00, 0, 1, 0, 1, 0, 0, 0, 0]);
  const question = Buffer.concat([qname, Buffer.from([0, 1, 0, 1])]);
  // Answer owner is a compression pointer to the question name at offset 12.
  const answer = Buffer.from([0xc0, 12, 0, 1, 0, 1, 0, 0, 0x0e, 0x10, 0, 4, 192, 0, 2, 1]);
  return Buffer.concat([header, question, answer]);
}

const template = buildResponse();
const socket = createSocket('udp4');

socket.on('message', (msg, rinfo) => {
  if (msg.length < 12) return;
  // A fresh copy per reply: send() may still hold the previous buffer.
  const out = Buffer.from(template);
  out[0] = msg[0];
  out[1] = msg[1];
  socket.send(out, rinfo.port, rinfo.address);
});

socket.bind(port, address, () => {
  const { address: a, port: p } = socket.address();
  // Same shape as vigil's ready line, so the bench reads every server alike.
  const listeners = [{ address: a, port: p, transport: 'udp' }];
  console.log(JSON.stringify({ level: 30, msg: 'started', listeners }));
});

process.on('SIGTERM', () => socket.close(() => process.exit(0)));
