import { describe, expect, it } from 'vitest';
import { loadConfig, parseDuration } from '../../src/config/index.js';
import { APEX, problemsOf, writeConfig } from './helpers.js';

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
    '3:3: server.https: expected one of listen, tcp_idle_timeout, tcp_max_connections, log_level, http, probe_concurrency, got unknown key "https"',
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
    });
    expect(config.zonesDir.endsWith('/zones')).toBe(true);
    expect(Object.isFrozen(config.server.listen[0])).toBe(true);
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
