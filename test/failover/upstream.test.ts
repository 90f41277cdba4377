/**
 * The upstream resolver against real servers on loopback: two Knot
 * instances for the answer shapes (chains, DNAME, NXDOMAIN, truncation), and
 * a small scriptable UDP server for refresh, staleness and failure timing.
 */
import { execFile } from 'node:child_process';
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Packet } from 'dns2';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  UpstreamResolver,
  type AddressType,
  type UpstreamOptions,
} from '../../src/failover/upstream.js';
import { startKnot, type ReferenceServer } from '../support/knot.js';
import { until } from '../support/health.js';

const execFileAsync = promisify(execFile);

const COM_ZONE = `$ORIGIN example.com.
$TTL 3600
@        IN SOA   ns1.example.com. hostmaster.example.com. 1 3600 600 604800 300
@        IN NS    ns1.example.com.
ns1      IN A     192.0.2.53
web  300 IN A     192.0.2.11
web  300 IN A     192.0.2.10
v6   120 IN AAAA  2001:DB8:0:0::A
v6   120 IN AAAA  2001:db8::1
www  900 IN CNAME mid
mid   45 IN CNAME web2
web2 600 IN A     192.0.2.20
out  200 IN CNAME far.example.net.
d    500 IN DNAME example.net.
gone  90 IN CNAME nothing.example.com.
loop1    IN CNAME loop2
loop2    IN CNAME loop1
${Array.from({ length: 40 }, (_, i) => `big 60 IN A 192.0.2.${i + 100}`).join('\n')}
`;

const NET_ZONE = `$ORIGIN example.net.
$TTL 3600
@        IN SOA   ns1.example.net. hostmaster.example.net. 1 3600 600 604800 120
@        IN NS    ns1.example.net.
ns1      IN A     198.51.100.53
far   30 IN A     198.51.100.7
`;

const resolvers: UpstreamResolver[] = [];

/** A resolver closed after each test, with short timeouts. */
function makeResolver(options: Partial<UpstreamOptions> & Pick<UpstreamOptions, 'servers'>) {
  const resolver = new UpstreamResolver({ maxStaleMs: 60_000, timeoutMs: 1000, ...options });
  resolvers.push(resolver);
  return resolver;
}

afterEach(() => {
  for (const resolver of resolvers.splice(0)) resolver.close();
});

describe('upstream resolution against Knot', () => {
  let com: ReferenceServer;
  let net: ReferenceServer;
  let servers: { host: string; port: number }[];

  beforeAll(async () => {
    com = await startKnot({ origin: 'example.com.', zoneText: COM_ZONE });
    net = await startKnot({ origin: 'example.net.', zoneText: NET_ZONE });
    // Each Knot refuses the other's zone, so this also covers moving on after REFUSED.
    servers = [com, net].map(({ host, port }) => ({ host, port }));
  });
  afterAll(async () => {
    await com?.stop();
    await net?.stop();
  });

  async function resolveAll(pairs: [string, AddressType][]) {
    const resolver = makeResolver({ servers });
    resolver.track(pairs);
    await resolver.settled(10_000);
    return resolver;
  }

  it('answers an A RRset with its TTL, addresses sorted', async () => {
    const resolver = await resolveAll([['web.example.com.', 'A']]);
    const view = resolver.get('web.example.com.', 'A');
    expect(view).toMatchObject({ kind: 'fresh', addresses: ['192.0.2.10', '192.0.2.11'] });
    expect(view.kind === 'fresh' && view.ttlSeconds).toBeGreaterThanOrEqual(299);
  });

  it('gives an empty A answer and the AAAA addresses for an AAAA-only name', async () => {
    const resolver = await resolveAll([
      ['v6.example.com.', 'A'],
      ['v6.example.com.', 'AAAA'],
    ]);
    // NODATA: the TTL is the lesser of the SOA TTL (3600) and MINIMUM (300), RFC 2308 §5.
    expect(resolver.get('v6.example.com.', 'A')).toEqual({
      kind: 'fresh',
      addresses: [],
      ttlSeconds: 300,
    });
    expect(resolver.get('v6.example.com.', 'AAAA')).toEqual({
      kind: 'fresh',
      addresses: ['2001:db8::1', '2001:db8::a'],
      ttlSeconds: 120,
    });
  });

  it('takes the lowest TTL along a CNAME chain inside the zone', async () => {
    const resolver = await resolveAll([['www.example.com.', 'A']]);
    expect(resolver.get('www.example.com.', 'A')).toEqual({
      kind: 'fresh',
      addresses: ['192.0.2.20'],
      ttlSeconds: 45,
    });
  });

  it('asks again for a CNAME target outside the first zone, moving past REFUSED', async () => {
    const resolver = await resolveAll([['out.example.com.', 'A']]);
    expect(resolver.get('out.example.com.', 'A')).toEqual({
      kind: 'fresh',
      addresses: ['198.51.100.7'],
      ttlSeconds: 30,
    });
  });

  it('follows the CNAME synthesized from a DNAME (RFC 6672 §3.1)', async () => {
    const resolver = await resolveAll([['far.d.example.com.', 'A']]);
    expect(resolver.get('far.d.example.com.', 'A')).toEqual({
      kind: 'fresh',
      addresses: ['198.51.100.7'],
      ttlSeconds: 30,
    });
  });

  it('treats NXDOMAIN as an empty fresh answer with the negative TTL', async () => {
    const resolver = await resolveAll([
      ['nothere.example.com.', 'A'],
      ['gone.example.com.', 'AAAA'],
    ]);
    expect(resolver.get('nothere.example.com.', 'A')).toEqual({
      kind: 'fresh',
      addresses: [],
      ttlSeconds: 300,
    });
    // A CNAME to a missing name: the CNAME's 90 s is below the negative TTL.
    expect(resolver.get('gone.example.com.', 'AAAA')).toEqual({
      kind: 'fresh',
      addresses: [],
      ttlSeconds: 90,
    });
  });

  it('repeats a truncated UDP answer over TCP and gets every address', async () => {
    const resolver = await resolveAll([['big.example.com.', 'A']]);
    const view = resolver.get('big.example.com.', 'A');
    expect(view.kind).toBe('fresh');
    const addresses = view.kind === 'fresh' ? view.addresses : [];
    expect(addresses).toHaveLength(40);
    expect(new Set(addresses)).toEqual(
      new Set(Array.from({ length: 40 }, (_, i) => `192.0.2.${i + 100}`)),
    );
  });

  it('fails on a CNAME loop', async () => {
    const resolver = await resolveAll([['loop1.example.com.', 'A']]);
    expect(resolver.get('loop1.example.com.', 'A')).toEqual({
      kind: 'failed',
      reason: 'CNAME loop at loop1.example.com.',
    });
  });

  it('reads names case-insensitively, with or without the trailing dot', async () => {
    const resolver = await resolveAll([['WEB.Example.COM', 'A']]);
    expect(resolver.get('web.example.com.', 'A')).toMatchObject({ kind: 'fresh' });
    expect(resolver.get('Web.Example.Com', 'A')).toMatchObject({ kind: 'fresh' });
  });
});

/** What the scripted server does with the next query. */
interface Script {
  mode: 'answer' | 'servfail' | 'silent';
  addresses: string[];
  ttlSeconds: number;
  /** Answer records for a name instead of the A RRset above, when it returns some. */
  records?: (name: string) => object[] | undefined;
}

/** A UDP DNS server on 127.0.0.1 that answers A queries as `script` says and logs them. */
async function startScripted(script: Script) {
  const socket = createSocket('udp4');
  const queries: { name: string; atMs: number; mode: Script['mode'] }[] = [];
  socket.on('message', (message, peer) => {
    const request = Packet.parse(message);
    const name = request.questions[0]?.name ?? '';
    queries.push({ name, atMs: Date.now(), mode: script.mode });
    if (script.mode === 'silent') return;
    const response = Packet.createResponseFromRequest(request);
    response.header.ra = 1;
    const records = script.records?.(name);
    if (script.mode === 'servfail') response.header.rcode = Packet.RCODE.SERVFAIL;
    else if (records !== undefined) response.answers.push(...(records as never[]));
    else {
      for (const address of script.addresses) {
        const record = { name, type: Packet.TYPE.A, class: Packet.CLASS.IN, address };
        response.answers.push({ ...record, ttl: script.ttlSeconds } as never);
      }
    }
    socket.send(response.toBuffer(), peer.port, peer.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const server = { host: '127.0.0.1', port: socket.address().port };
  return { server, queries, close: () => new Promise<void>((r) => socket.close(() => r())) };
}

/** A port on 127.0.0.1 where nothing listens: UDP there gets ICMP port unreachable. */
async function closedPort(): Promise<number> {
  const socket: UdpSocket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const { port } = socket.address();
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return port;
}

describe('upstream refresh and failure against a scripted server', () => {
  const script: Script = { mode: 'answer', addresses: ['192.0.2.1'], ttlSeconds: 1 };
  let scripted: Awaited<ReturnType<typeof startScripted>>;

  beforeAll(async () => (scripted = await startScripted(script)));
  afterAll(() => scripted.close());
  afterEach(() => {
    const initial = { mode: 'answer', addresses: ['192.0.2.1'], ttlSeconds: 1, records: undefined };
    Object.assign(script, initial);
    scripted.queries.length = 0;
  });

  const asked = (name: string) => scripted.queries.filter((q) => q.name === name);

  it('refreshes at 90% of the TTL, and every second for TTL 0', async () => {
    script.ttlSeconds = 2;
    const resolver = makeResolver({ servers: [scripted.server] });
    resolver.track([['two.example.org.', 'A']]);
    await until(() => asked('two.example.org').length >= 3, 6000);
    const times = asked('two.example.org').map((q) => q.atMs);
    for (let i = 1; i < times.length; i++) {
      expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(1790);
      expect(times[i]! - times[i - 1]!).toBeLessThan(2000 + 400);
    }

    script.ttlSeconds = 0;
    resolver.track([['zero.example.org.', 'A']]);
    await until(() => asked('zero.example.org').length >= 3, 6000);
    const zero = asked('zero.example.org').map((q) => q.atMs);
    expect(zero[2]! - zero[1]!).toBeGreaterThanOrEqual(990);
    expect(zero[2]! - zero[1]!).toBeLessThan(1000 + 400);
    // Between refreshes a TTL 0 answer stays fresh at TTL 0.
    expect(resolver.get('zero.example.org.', 'A')).toEqual({
      kind: 'fresh',
      addresses: ['192.0.2.1'],
      ttlSeconds: 0,
    });
  });

  it('announces new addresses, not same-address refreshes; goes stale, failed, then recovers', async () => {
    const changes: string[] = [];
    const resolver = makeResolver({
      servers: [scripted.server],
      maxStaleMs: 1500,
      timeoutMs: 300,
      onChange: (name, type) => changes.push(`${name} ${type}`),
    });
    const name = 'alias.example.org.';
    resolver.track([[name, 'A']]);
    expect(resolver.get(name, 'A')).toEqual({ kind: 'pending' });
    await resolver.settled(2000);
    expect(resolver.get(name, 'A')).toEqual({
      kind: 'fresh',
      addresses: ['192.0.2.1'],
      ttlSeconds: 1,
    });
    expect(changes).toEqual([`${name} A`]);

    await until(() => asked('alias.example.org').length >= 3, 4000);
    expect(changes).toHaveLength(1);

    script.addresses = ['192.0.2.2'];
    await until(() => changes.length === 2, 3000);
    expect(resolver.get(name, 'A')).toMatchObject({ kind: 'fresh', addresses: ['192.0.2.2'] });

    script.mode = 'servfail';
    await until(() => changes.length === 3, 3000);
    const stale = resolver.get(name, 'A');
    const reason = `rcode SERVFAIL from 127.0.0.1:${scripted.server.port}`;
    expect(stale).toMatchObject({ kind: 'stale', addresses: ['192.0.2.2'], reason });
    const staleSinceMs = stale.kind === 'stale' ? stale.staleSinceMs : 0;
    expect(Math.abs(Date.now() - staleSinceMs)).toBeLessThan(500);

    await until(() => changes.length === 4, 3000);
    expect(resolver.get(name, 'A')).toEqual({ kind: 'failed', reason });
    // Failed comes maxStaleMs past the TTL of the last good answer, which
    // the resolver received no sooner than the scripted server saw its query.
    // That can be a little less than maxStaleMs after staleSinceMs, since a
    // refresh sent at the TTL fails just after it.
    const lastGood = asked(name.slice(0, -1)).findLast((q) => q.mode === 'answer')!;
    expect(Date.now() - (lastGood.atMs + 1000)).toBeGreaterThanOrEqual(1500);

    script.mode = 'answer';
    script.addresses = ['192.0.2.3'];
    await until(() => changes.length === 5, 6000);
    expect(resolver.get(name, 'A')).toMatchObject({ kind: 'fresh', addresses: ['192.0.2.3'] });

    // Retries after the first failure waited 1 s, then 2 s.
    const all = asked('alias.example.org');
    const firstFailure = all.findIndex((q) => q.mode === 'servfail');
    const retries = all.slice(firstFailure, firstFailure + 3).map((q) => q.atMs);
    expect(retries).toHaveLength(3);
    expect(retries[1]! - retries[0]!).toBeGreaterThanOrEqual(990);
    expect(retries[1]! - retries[0]!).toBeLessThan(1400);
    expect(retries[2]! - retries[1]!).toBeGreaterThanOrEqual(1990);
    expect(retries[2]! - retries[1]!).toBeLessThan(2400);
    expect(changes.every((c) => c === `${name} A`)).toBe(true);
  });

  it('fails a never-resolved name soon after the timeout, and settled() resolves', async () => {
    script.mode = 'silent';
    const changes: string[] = [];
    const resolver = makeResolver({
      servers: [scripted.server],
      timeoutMs: 300,
      onChange: (name) => changes.push(name),
    });
    const startMs = Date.now();
    resolver.track([['dead.example.org.', 'A']]);
    await resolver.settled(5000);
    const elapsedMs = Date.now() - startMs;
    expect(elapsedMs).toBeGreaterThanOrEqual(290);
    expect(elapsedMs).toBeLessThan(1000);
    expect(resolver.get('dead.example.org.', 'A')).toEqual({
      kind: 'failed',
      reason: `timeout after 300 ms from 127.0.0.1:${scripted.server.port}`,
    });
    expect(changes).toEqual(['dead.example.org.']);
  });

  it('tries the servers in order and names each one when all fail', async () => {
    const refused = { host: '127.0.0.1', port: await closedPort() };
    const first = makeResolver({ servers: [refused, scripted.server] });
    first.track([['next.example.org.', 'A']]);
    await first.settled(3000);
    expect(first.get('next.example.org.', 'A')).toMatchObject({
      kind: 'fresh',
      addresses: ['192.0.2.1'],
    });

    script.mode = 'servfail';
    const both = makeResolver({ servers: [refused, scripted.server] });
    both.track([['next.example.org.', 'A']]);
    await both.settled(3000);
    expect(both.get('next.example.org.', 'A')).toEqual({
      kind: 'failed',
      reason:
        `ECONNREFUSED from 127.0.0.1:${refused.port}; ` +
        `rcode SERVFAIL from 127.0.0.1:${scripted.server.port}`,
    });
  });

  it('rewrites a name under a DNAME sent without its synthesized CNAME', async () => {
    // RFC 6672 §2.5: the DNAME target is sent uncompressed, so raw bytes do.
    const target = Buffer.from([7, ...Buffer.from('example'), 3, ...Buffer.from('net'), 0]);
    script.records = (name) =>
      name.endsWith('.d.example.org')
        ? [{ name: 'd.example.org', type: 39, class: Packet.CLASS.IN, ttl: 1, data: target }]
        : undefined;
    script.ttlSeconds = 300;
    const resolver = makeResolver({ servers: [scripted.server] });
    resolver.track([['host.d.example.org.', 'A']]);
    await resolver.settled(3000);
    expect(resolver.get('host.d.example.org.', 'A')).toEqual({
      kind: 'fresh',
      addresses: ['192.0.2.1'],
      ttlSeconds: 1,
    });
    expect(scripted.queries.slice(0, 2).map((q) => q.name)).toEqual([
      'host.d.example.org',
      'host.example.net',
    ]);
  });

  it('gives up on a CNAME chain longer than 8 links', async () => {
    // n0 -> n1 -> n2 -> ..., one link per reply, never ending.
    script.records = (name) => {
      const next = `n${Number(/^n(\d+)\./.exec(name)?.[1]) + 1}.example.org`;
      return [{ name, type: Packet.TYPE.CNAME, class: Packet.CLASS.IN, ttl: 60, domain: next }];
    };
    const resolver = makeResolver({ servers: [scripted.server] });
    resolver.track([['n0.example.org.', 'A']]);
    await resolver.settled(3000);
    expect(resolver.get('n0.example.org.', 'A')).toEqual({
      kind: 'failed',
      reason: 'CNAME chain longer than 8 links',
    });
    expect(asked('n8.example.org')).toHaveLength(1);
    expect(asked('n9.example.org')).toHaveLength(0);
  });

  it('settled() gives up after its limit while a query is still out', async () => {
    script.mode = 'silent';
    const resolver = makeResolver({ servers: [scripted.server], timeoutMs: 5000 });
    resolver.track([['slow.example.org.', 'A']]);
    const startMs = Date.now();
    await resolver.settled(200);
    expect(Date.now() - startMs).toBeLessThan(1000);
    expect(resolver.get('slow.example.org.', 'A')).toEqual({ kind: 'pending' });
  });

  it('forgets names no longer tracked and stops refreshing them', async () => {
    const changes: string[] = [];
    const resolver = makeResolver({
      servers: [scripted.server],
      onChange: (name) => changes.push(name),
    });
    resolver.track([
      ['kept.example.org.', 'A'],
      ['dropped.example.org.', 'A'],
    ]);
    await resolver.settled(2000);
    resolver.track([['kept.example.org.', 'A']]);
    const droppedBefore = asked('dropped.example.org').length;
    await until(() => asked('kept.example.org').length >= 3, 4000);
    expect(asked('dropped.example.org')).toHaveLength(droppedBefore);
    expect(resolver.get('dropped.example.org.', 'A')).toEqual({
      kind: 'failed',
      reason: 'not tracked',
    });
    expect(changes.sort()).toEqual(['dropped.example.org.', 'kept.example.org.']);
  });

  it('close() aborts a query in flight and closes its socket', async () => {
    script.mode = 'silent';
    const udpHandles = () =>
      process.getActiveResourcesInfo().filter((kind) => kind === 'UDPWrap').length;
    // Sockets of resolvers closed by the tests before this one go away on a
    // later turn of the loop; count from a reading that has stopped moving.
    let before = udpHandles();
    for (let last = -1; before !== last; before = udpHandles()) {
      last = before;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const resolver = makeResolver({ servers: [scripted.server], timeoutMs: 10_000 });
    resolver.track([['hanging.example.org.', 'A']]);
    await until(() => asked('hanging.example.org').length === 1, 2000);
    expect(udpHandles()).toBe(before + 1);
    resolver.close();
    await until(() => udpHandles() === before, 1000);
    await new Promise((resolve) => setTimeout(resolve, 1200));
    expect(asked('hanging.example.org')).toHaveLength(1);
    expect(() => resolver.track([])).toThrow(/closed/);
  });

  it('lets the process exit after close() even with a query in flight', async () => {
    script.mode = 'silent';
    const module = fileURLToPath(new URL('../../dist/failover/upstream.js', import.meta.url));
    const program = `
      const { UpstreamResolver } = await import(${JSON.stringify(module)});
      const resolver = new UpstreamResolver({
        servers: [{ host: '127.0.0.1', port: ${scripted.server.port} }],
        maxStaleMs: 1000,
        timeoutMs: 20000,
      });
      resolver.track([['exit.example.org.', 'A']]);
      setTimeout(() => resolver.close(), 300);
    `;
    const startMs = Date.now();
    await execFileAsync(process.execPath, ['--input-type=module', '-e', program], {
      timeout: 10_000,
    });
    expect(Date.now() - startMs).toBeLessThan(5000);
    expect(asked('exit.example.org')).toHaveLength(1);
  });
});
