import { describe, expect, it } from 'vitest';
import { loadConfig, parseDuration } from '../../src/config/index.js';
import { systemResolvers } from '../../src/config/main-file.js';
import { APEX, problemsOf, writeConfig } from './helpers.js';

const RESOLVER_FORMS =
  'an IP address with an optional port such as "192.0.2.53", "192.0.2.53:53" or "[2001:db8::53]:53"';

/** [what, main file text, expected "line:col: path: message"] */
const CASES: [string, string, string][] = [
  [
    'unknown top-level key',
    'server:\n  listen: ["127.0.0.1:0"]\nfailover: {}\n',
    '3:1: failover: expected one of server, zones, checks, notify, got unknown key "failover"',
  ],
  [
    'unknown server key',
    'server:\n  listen: ["127.0.0.1:0"]\n  https: {}\n',
    '3:3: server.https: expected one of listen, tcp_idle_timeout, tcp_max_connections, log_level, http, probe_concurrency, probe_threads, resolvers, alias_max_stale, got unknown key "https"',
  ],
  ['listen missing', 'server: {}\n', '1:9: server: expected key "listen", got none'],
  [
    'listen empty',
    'server:\n  listen: []\n',
    '2:11: server.listen: expected a non-empty list of address and port such as "127.0.0.1:53" or "[::1]:53", got a list',
  ],
  [
    'IPv6 without brackets',
    'server:\n  listen: ["::1:53"]\n',
    '2:12: server.listen[0]: expected an address and port such as "127.0.0.1:53" or "[::1]:53", got "::1:53"',
  ],
  [
    'bad IPv4',
    'server:\n  listen: ["192.0.2.300:53"]\n',
    '2:12: server.listen[0]: expected an address and port such as "127.0.0.1:53" or "[::1]:53", got "192.0.2.300:53"',
  ],
  [
    'duplicate listen',
    'server:\n  listen: ["127.0.0.1:53", "127.0.0.1:53"]\n',
    '2:28: server.listen[1]: expected each address once, got "127.0.0.1:53" again (first at listen[0])',
  ],
  [
    'duration without unit',
    'server:\n  listen: ["127.0.0.1:0"]\n  tcp_idle_timeout: 10\n',
    '3:21: server.tcp_idle_timeout: expected a duration such as "500ms", "10s", "1m" or "1h", got "10" (add a unit: "10s" or "10ms")',
  ],
  [
    'max connections zero',
    'server:\n  listen: ["127.0.0.1:0"]\n  tcp_max_connections: 0\n',
    '3:24: server.tcp_max_connections: expected an integer from 1 to 1000000, got 0',
  ],
  [
    'duplicate key',
    'server:\n  listen: ["127.0.0.1:0"]\nserver: {}\n',
    '3:1: server: expected each key once, got "server" again (first on line 1)',
  ],
  [
    'zones folder missing',
    'server:\n  listen: ["127.0.0.1:0"]\nzones: nowhere\n',
    '3:8: zones: expected a readable folder, got ENOENT',
  ],
  ['not YAML', 'server: [\n', 'invalid YAML'],
  [
    'resolvers empty',
    'server:\n  listen: ["127.0.0.1:0"]\n  resolvers: []\n',
    `3:14: server.resolvers: expected a non-empty list of ${RESOLVER_FORMS.slice(3)}, got a list`,
  ],
  [
    'resolvers not a list',
    'server:\n  listen: ["127.0.0.1:0"]\n  resolvers: 192.0.2.53\n',
    `3:14: server.resolvers: expected a non-empty list of ${RESOLVER_FORMS.slice(3)}, got "192.0.2.53"`,
  ],
  [
    'resolver given as a hostname',
    'server:\n  listen: ["127.0.0.1:0"]\n  resolvers: [dns.example.net]\n',
    `3:15: server.resolvers[0]: expected ${RESOLVER_FORMS}, got "dns.example.net"`,
  ],
  [
    'resolver port 0',
    'server:\n  listen: ["127.0.0.1:0"]\n  resolvers: [192.0.2.53, "192.0.2.54:0"]\n',
    `3:27: server.resolvers[1]: expected ${RESOLVER_FORMS}, got "192.0.2.54:0"`,
  ],
  [
    'resolver port above 65535',
    'server:\n  listen: ["127.0.0.1:0"]\n  resolvers: ["[2001:db8::53]:65536"]\n',
    `3:15: server.resolvers[0]: expected ${RESOLVER_FORMS}, got "[2001:db8::53]:65536"`,
  ],
  [
    'resolver with a subnet',
    'server:\n  listen: ["127.0.0.1:0"]\n  resolvers: [192.0.2.0/24]\n',
    `3:15: server.resolvers[0]: expected ${RESOLVER_FORMS}, got "192.0.2.0/24"`,
  ],
  [
    'resolver given twice, once with the default port',
    'server:\n  listen: ["127.0.0.1:0"]\n  resolvers: [192.0.2.53, "192.0.2.53:53"]\n',
    '3:27: server.resolvers[1]: expected each address once, got "192.0.2.53:53" again (first at resolvers[0])',
  ],
  [
    'alias_max_stale without unit',
    'server:\n  listen: ["127.0.0.1:0"]\n  alias_max_stale: 90\n',
    '3:20: server.alias_max_stale: expected a duration such as "500ms", "10s", "1m" or "1h", got "90" (add a unit: "90s" or "90ms")',
  ],
  [
    'alias_max_stale negative',
    'server:\n  listen: ["127.0.0.1:0"]\n  alias_max_stale: -1s\n',
    '3:20: server.alias_max_stale: expected a duration such as "500ms", "10s", "1m" or "1h", got "-1s"',
  ],
];

describe('main file', () => {
  it.each(CASES)('%s', async (_name, main, expected) => {
    const found = await problemsOf(async () => loadConfig(await writeConfig({}, main)));
    expect(
      found.some((p) => p.includes(`vigil.yaml:${expected}`) || p.includes(expected)),
      found.join('\n'),
    ).toBe(true);
  });

  it('applies defaults and normalises addresses', async () => {
    const main = 'server:\n  listen: ["127.0.0.1:5353", "[2001:DB8::1]:0"]\n';
    const config = await loadConfig(await writeConfig({ 'example.com.yaml': APEX }, main));
    expect(config.server).toEqual({
      listen: [
        { host: '127.0.0.1', port: 5353, family: 4 },
        { host: '2001:db8::1', port: 0, family: 6 },
      ],
      tcpIdleTimeoutMs: 10_000,
      tcpMaxConnections: 1024,
      logLevel: 'info',
      http: undefined,
      probeConcurrency: 64,
      probeThreads: 1,
      resolvers: systemResolvers(),
      aliasMaxStaleMs: 3_600_000,
    });
    expect(config.zonesDir.endsWith('/zones')).toBe(true);
    expect(Object.isFrozen(config.server.listen[0])).toBe(true);
  });
});

describe('server.resolvers and server.alias_max_stale', () => {
  it('reads every resolver form in order, canonical, port 53 by default', async () => {
    const main =
      'server:\n  listen: ["127.0.0.1:0"]\n' +
      '  resolvers: [192.0.2.53, "198.51.100.1:5353", "2001:DB8:0::53", "[2001:db8::54]", "[2001:db8::55]:5353"]\n' +
      '  alias_max_stale: 90s\n';
    const config = await loadConfig(await writeConfig({ 'example.com.yaml': APEX }, main));
    expect(config.server.resolvers).toEqual([
      { host: '192.0.2.53', port: 53 },
      { host: '198.51.100.1', port: 5353 },
      { host: '2001:db8::53', port: 53 },
      { host: '2001:db8::54', port: 53 },
      { host: '2001:db8::55', port: 5353 },
    ]);
    expect(config.server.aliasMaxStaleMs).toBe(90_000);
    expect(Object.isFrozen(config.server.resolvers[0])).toBe(true);
  });

  it('accepts alias_max_stale 0s (no stale answers)', async () => {
    const main = 'server:\n  listen: ["127.0.0.1:0"]\n  alias_max_stale: 0s\n';
    const config = await loadConfig(await writeConfig({ 'example.com.yaml': APEX }, main));
    expect(config.server.aliasMaxStaleMs).toBe(0);
  });

  it('takes the system resolvers in the forms node:dns reports them', () => {
    const reported = [
      '10.0.0.1',
      '192.0.2.1:5353',
      '2001:db8::1',
      '[2001:db8::2]:1053',
      'fe80::1%eth0',
    ];
    expect(systemResolvers(reported)).toEqual([
      { host: '10.0.0.1', port: 53 },
      { host: '192.0.2.1', port: 5353 },
      { host: '2001:db8::1', port: 53 },
      { host: '2001:db8::2', port: 1053 },
    ]);
  });

  it('falls back to 127.0.0.1:53 when the system names no resolver', () => {
    expect(systemResolvers([])).toEqual([{ host: '127.0.0.1', port: 53 }]);
    expect(systemResolvers(['fe80::1%eth0'])).toEqual([{ host: '127.0.0.1', port: 53 }]);
  });
});

describe('parseDuration', () => {
  it.each([
    ['500ms', 500],
    ['10s', 10_000],
    ['1.5s', 1500],
    ['1m', 60_000],
    ['1h', 3_600_000],
  ])('%s is %i ms', (text, ms) => expect(parseDuration(text)).toBe(ms));

  it.each(['10', '1d', '-1s', '1.5ms', '', '100000h'])('rejects %j', (text) => {
    expect(() => parseDuration(text)).toThrow(/expected a duration/);
  });
});
