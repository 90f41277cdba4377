#!/usr/bin/env node
// dns2's stock UDP server answering every query with one A record, built the
// way dns2's README shows. The bench measures it to justify vigil's own
// listeners: this is what the library's server costs per query.
// Usage: node bench/dns2-server.mjs <port> [address]
import dns2 from 'dns2';

const { Packet } = dns2;
const port = Number(process.argv[2] ?? 5300);
const address = process.argv[3] ?? '127.0.0.1';

const server = dns2.createServer({
  udp: true,
  handle(request, send) {
    const response = Packet.createResponseFromRequest(request);
    const [question] = request.questions;
    response.header.aa = 1;
    response.answers.push({
      name: question?.name ?? 'h000003.bench.example',
      type: Packet.TYPE.A,
      class: Packet.CLASS.IN,
      ttl: 3600,
      address: '192.0.2.1',
    });
    send(response);
  },
});

server.on('requestError', () => {
  // A packet dns2 cannot parse is dropped, as a real server would count it.
});

const addresses = await server.listen({ udp: { port, address } });
const listeners = [{ address: addresses.udp.address, port: addresses.udp.port, transport: 'udp' }];
console.log(JSON.stringify({ level: 30, msg: 'started', listeners }));

process.on('SIGTERM', () => {
  server.close();
  process.exit(0);
});
