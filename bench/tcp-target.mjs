#!/usr/bin/env node
// The endpoints of `npm run bench:checks`: node:net servers on 127.0.0.1
// that accept every connection and let the client close it. They run in
// their own process so that accepting 10,000 connections a second does not
// share vigil's event loop. Prints {"ports":[...]} once listening.
// Usage: node bench/tcp-target.mjs [COUNT]
import { createServer } from 'node:net';

const DEFAULT_COUNT = 8;

const count = Number(process.argv[2] ?? DEFAULT_COUNT);
const ports = [];
for (let i = 0; i < count; i++) {
  const server = createServer((socket) => {
    // A probe closes first; a reset from one that gave up is not our concern.
    socket.on('error', () => {});
    socket.resume();
  });
  // Room for a burst of probes connecting at once, such as every check's first probe.
  await new Promise((resolve) =>
    server.listen({ port: 0, host: '127.0.0.1', backlog: 4096 }, resolve),
  );
  ports.push(server.address().port);
}
process.stdout.write(`${JSON.stringify({ ports })}\n`);
process.on('SIGTERM', () => process.exit(0));
