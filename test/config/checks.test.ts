import { writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { APEX, problemsOf, writeConfig } from './helpers.js';

const HEAD = 'server:\n  listen: ["127.0.0.1:0"]\nchecks:\n';

/** A main file whose check `c` (line 4) has the given lines (indented 4, from line 5). */
function check(...lines: string[]): string {
  return `${HEAD}  c:\n${lines.map((l) => `    ${l}\n`).join('')}`;
}

/** [what, main file text, expected "line:col: path: message"] */
const CASES: [string, string, string][] = [
  [
    'checks not a mapping',
    `${HEAD}  - a\n`,
    '4:3: checks: expected a mapping of check names to checks, got a list',
  ],
  [
    'bad check name',
    `${HEAD}  bad.name: {type: tcp, host: a.example.net, port: 1}\n`,
    '4:3: checks.bad.name: expected a check name of 1 to 63 letters, digits, "-" or "_", got "bad.name"',
  ],
  [
    'check name too long',
    `${HEAD}  ${'a'.repeat(64)}: {type: tcp, host: a.example.net, port: 1}\n`,
    `4:3: checks.${'a'.repeat(64)}: expected a check name of 1 to 63 letters, digits, "-" or "_", got "${'a'.repeat(64)}"`,
  ],
  [
    'duplicate check',
    `${HEAD}  c: {type: tcp, host: a.example.net, port: 1}\n  c: {type: tcp, host: a.example.net, port: 1}\n`,
    '5:3: checks.c: expected each key once, got "c" again (first on line 4)',
  ],
  [
    'check not a mapping',
    `${HEAD}  c: tcp\n`,
    '4:6: checks.c: expected a mapping with type and host, got "tcp"',
  ],
  ['type missing', check('host: a.example.net'), '5:5: checks.c: expected key "type", got none'],
  ['host missing', check('type: http'), '5:5: checks.c: expected key "host", got none'],
  [
    'unknown type',
    check('type: icmp', 'host: a.example.net'),
    '5:11: checks.c.type: expected one of http, https, tcp, dns, got "icmp"',
  ],
  [
    'unknown key',
    check('type: http', 'host: a.example.net', 'retries: 3'),
    '7:5: checks.c.retries: expected one of type, host, address, port, interval, timeout, rise, fall, initial, path, method, expect, headers, got unknown key "retries"',
  ],
  [
    'send on https',
    check('type: https', 'host: a.example.net', 'send: x'),
    '7:5: checks.c.send: not valid for type https',
  ],
  [
    'tls on http',
    check('type: http', 'host: a.example.net', 'tls: {}'),
    '7:5: checks.c.tls: not valid for type http',
  ],
  [
    'path on tcp',
    check('type: tcp', 'host: a.example.net', 'port: 25', 'path: /'),
    '8:5: checks.c.path: not valid for type tcp',
  ],
  [
    'headers on dns',
    check('type: dns', 'host: a.example.net', 'headers: {}'),
    '7:5: checks.c.headers: not valid for type dns',
  ],
  [
    'query on http',
    check('type: http', 'host: a.example.net', 'query: {}'),
    '7:5: checks.c.query: not valid for type http',
  ],
  [
    'bad host',
    check('type: http', 'host: a..example.net'),
    '6:11: checks.c.host: expected a hostname such as "www.example.net", got "a..example.net"',
  ],
  [
    'host with slash',
    check('type: http', 'host: a/b.example.net'),
    '6:11: checks.c.host: expected a hostname such as "www.example.net", got "a/b.example.net"',
  ],
  [
    'bad address',
    check('type: http', 'host: a.example.net', 'address: 192.0.2.300'),
    '7:14: checks.c.address: expected an IPv4 or IPv6 address, got "192.0.2.300"',
  ],
  [
    'address with prefix',
    check('type: http', 'host: a.example.net', 'address: 2001:db8::/64'),
    '7:14: checks.c.address: expected an IPv4 or IPv6 address, got "2001:db8::/64"',
  ],
  [
    'tcp without port',
    check('type: tcp', 'host: a.example.net'),
    '5:5: checks.c: expected key "port" for type tcp, got none',
  ],
  [
    'port zero',
    check('type: http', 'host: a.example.net', 'port: 0'),
    '7:11: checks.c.port: expected an integer from 1 to 65535, got 0',
  ],
  [
    'port too big',
    check('type: http', 'host: a.example.net', 'port: 65536'),
    '7:11: checks.c.port: expected an integer from 1 to 65535, got 65536',
  ],
  [
    'path without slash',
    check('type: http', 'host: a.example.net', 'path: health'),
    '7:11: checks.c.path: expected a path starting with "/", without spaces, got "health"',
  ],
  [
    'method POST',
    check('type: http', 'host: a.example.net', 'method: POST'),
    '7:13: checks.c.method: expected one of GET, HEAD, got "POST"',
  ],
  [
    'interval without unit',
    check('type: http', 'host: a.example.net', 'interval: 10'),
    '7:15: checks.c.interval: expected a duration such as "500ms", "10s", "1m" or "1h", got "10" (add a unit: "10s" or "10ms")',
  ],
  [
    'interval under 1s',
    check('type: http', 'host: a.example.net', 'interval: 500ms', 'timeout: 100ms'),
    '7:15: checks.c.interval: expected a duration of at least 1s, got "500ms"',
  ],
  [
    'timeout not below interval',
    check('type: http', 'host: a.example.net', 'interval: 10s', 'timeout: 10s'),
    '8:14: checks.c.timeout: expected a duration less than the interval (10000ms), got "10s"',
  ],
  [
    'interval under default timeout',
    check('type: http', 'host: a.example.net', 'interval: 2s'),
    '7:15: checks.c.interval: expected a duration more than the timeout (5000ms by default), got "2s"',
  ],
  [
    'timeout zero',
    check('type: http', 'host: a.example.net', 'timeout: 0s'),
    '7:14: checks.c.timeout: expected a duration above 0, got "0s"',
  ],
  [
    'rise zero',
    check('type: http', 'host: a.example.net', 'rise: 0'),
    '7:11: checks.c.rise: expected an integer from 1 to 100, got 0',
  ],
  [
    'fall too big',
    check('type: http', 'host: a.example.net', 'fall: 101'),
    '7:11: checks.c.fall: expected an integer from 1 to 100, got 101',
  ],
  [
    'initial unknown',
    check('type: http', 'host: a.example.net', 'initial: maybe'),
    '7:14: checks.c.initial: expected one of up, down, got "maybe"',
  ],
  [
    'status out of range',
    check('type: http', 'host: a.example.net', 'expect: {status: [200, 600]}'),
    '7:28: checks.c.expect.status[1]: expected a status from 100 to 599 or a range such as "200-299", got 600',
  ],
  [
    'status range reversed',
    check('type: http', 'host: a.example.net', 'expect: {status: 299-200}'),
    '7:22: checks.c.expect.status: expected a status from 100 to 599 or a range such as "200-299", got "299-200"',
  ],
  [
    'unknown expect key',
    check('type: http', 'host: a.example.net', 'expect: {code: 200}'),
    '7:14: checks.c.expect.code: expected one of status, body, got unknown key "code"',
  ],
  [
    'empty body',
    check('type: http', 'host: a.example.net', 'expect: {body: ""}'),
    '7:20: checks.c.expect.body: expected a non-empty string, got ""',
  ],
  [
    'header value a list',
    check('type: http', 'host: a.example.net', 'headers: {X-A: [1]}'),
    '7:20: checks.c.headers.X-A: expected a header value, got a list',
  ],
  [
    'bad header name',
    check('type: http', 'host: a.example.net', 'headers: {"X A": b}'),
    '7:15: checks.c.headers.X A: expected a header name (RFC 9110 §5.1), got "X A"',
  ],
  [
    'Host header',
    check('type: http', 'host: a.example.net', 'headers: {host: b}'),
    '7:15: checks.c.headers.host: expected no Host header (vigil sets it), got one',
  ],
  [
    'header line break',
    check('type: http', 'host: a.example.net', 'headers: {X-A: "a\\r\\nB: c"}'),
    '7:20: checks.c.headers.X-A: expected a header value without line breaks, got "a\\r\\nB: c"',
  ],
  [
    'verify not boolean',
    check('type: https', 'host: a.example.net', 'tls: {verify: "no"}'),
    '7:19: checks.c.tls.verify: expected true or false, got "no"',
  ],
  [
    'unknown tls key',
    check('type: https', 'host: a.example.net', 'tls: {sni: x}'),
    '7:11: checks.c.tls.sni: expected one of verify, servername, ca, got unknown key "sni"',
  ],
  [
    'bad servername',
    check('type: https', 'host: a.example.net', 'tls: {servername: "-a..b"}'),
    '7:23: checks.c.tls.servername: expected a hostname such as "www.example.net", got "-a..b"',
  ],
  [
    'ca missing',
    check('type: https', 'host: a.example.net', 'tls: {ca: certs/none.pem}'),
    '7:15: checks.c.tls.ca: expected a readable file, got ENOENT for ',
  ],
  [
    'empty send',
    check('type: tcp', 'host: a.example.net', 'port: 25', 'send: ""'),
    '8:11: checks.c.send: expected a non-empty string, got ""',
  ],
  [
    'tcp expect a mapping',
    check('type: tcp', 'host: a.example.net', 'port: 25', 'expect: {body: x}'),
    '8:13: checks.c.expect: expected a non-empty reply prefix, got a mapping',
  ],
  [
    'query type unknown',
    check('type: dns', 'host: ns1.example.net', 'query: {type: ANY}'),
    '7:19: checks.c.query.type: expected one of A, NS, CNAME, SOA, PTR, MX, TXT',
  ],
  [
    'query name bad',
    check('type: dns', 'host: ns1.example.net', 'query: {name: "a b"}'),
    '7:19: checks.c.query.name: expected a hostname such as "www.example.net", got "a b"',
  ],
  [
    'rcode unknown',
    check('type: dns', 'host: ns1.example.net', 'expect: {rcode: NOPE}'),
    '7:21: checks.c.expect.rcode: expected one of NOERROR, FORMERR, SERVFAIL, NXDOMAIN, NOTIMP, REFUSED, got "NOPE"',
  ],
  [
    'A answer not IPv4',
    check('type: dns', 'host: ns1.example.net', 'expect: {answer: "2001:db8::1"}'),
    '7:22: checks.c.expect.answer: expected an IPv4 address, got "2001:db8::1"',
  ],
  [
    'AAAA answer not IPv6',
    check(
      'type: dns',
      'host: ns1.example.net',
      'query: {type: AAAA}',
      'expect: {answer: 192.0.2.1}',
    ),
    '8:22: checks.c.expect.answer: expected an IPv6 address, got "192.0.2.1"',
  ],
];

const NOTIFY = 'server:\n  listen: ["127.0.0.1:0"]\nnotify:\n';

const OTHER_CASES: [string, string, string][] = [
  [
    'notify unknown key',
    `${NOTIFY}  email: x\n`,
    '4:3: notify.email: expected one of webhooks, got unknown key "email"',
  ],
  [
    'webhooks not a list',
    `${NOTIFY}  webhooks: {url: x}\n`,
    '4:13: notify.webhooks: expected a list of webhooks, got a mapping',
  ],
  [
    'webhook url missing',
    `${NOTIFY}  webhooks:\n    - headers: {}\n`,
    '5:7: notify.webhooks[0]: expected key "url", got none',
  ],
  [
    'webhook ftp url',
    `${NOTIFY}  webhooks:\n    - url: ftp://hooks.example.net/\n`,
    '5:12: notify.webhooks[0].url: expected an http:// or https:// URL, got "ftp://hooks.example.net/"',
  ],
  [
    'webhook not a URL',
    `${NOTIFY}  webhooks:\n    - url: hooks.example.net\n`,
    '5:12: notify.webhooks[0].url: expected an http:// or https:// URL, got "hooks.example.net"',
  ],
  [
    'webhook Host header',
    `${NOTIFY}  webhooks:\n    - url: https://hooks.example.net/\n      headers: {Host: x}\n`,
    '6:17: notify.webhooks[0].headers.Host: expected no Host header (vigil sets it), got one',
  ],
  [
    'http not an address',
    'server:\n  listen: ["127.0.0.1:0"]\n  http: localhost:8053\n',
    '3:9: server.http: expected an address and port such as "127.0.0.1:53" or "[::1]:53", got "localhost:8053"',
  ],
  [
    'http on a DNS address',
    'server:\n  listen: ["127.0.0.1:5353"]\n  http: 127.0.0.1:5353\n',
    '3:9: server.http: expected an address not in listen, got "127.0.0.1:5353" (also listen[0])',
  ],
  [
    'probe_concurrency zero',
    'server:\n  listen: ["127.0.0.1:0"]\n  probe_concurrency: 0\n',
    '3:22: server.probe_concurrency: expected an integer from 1 to 10000, got 0',
  ],
  [
    'probe_concurrency too big',
    'server:\n  listen: ["127.0.0.1:0"]\n  probe_concurrency: 10001\n',
    '3:22: server.probe_concurrency: expected an integer from 1 to 10000, got 10001',
  ],
  [
    'probe_threads zero',
    'server:\n  listen: ["127.0.0.1:0"]\n  probe_threads: 0\n',
    '3:18: server.probe_threads: expected an integer from 1 to 64, got 0',
  ],
  [
    'probe_threads not a number',
    'server:\n  listen: ["127.0.0.1:0"]\n  probe_threads: two\n',
    '3:18: server.probe_threads: expected an integer from 1 to 64, got "two"',
  ],
];

async function problems(main: string): Promise<string[]> {
  return problemsOf(async () => loadConfig(await writeConfig({ 'example.com.yaml': APEX }, main)));
}

describe('checks: errors', () => {
  it.each(CASES)('%s', async (_name, main, expected) => {
    const found = await problems(main);
    expect(
      found.some((p) => p.startsWith(`vigil.yaml:${expected}`)),
      found.join('\n'),
    ).toBe(true);
  });
});

describe('notify and server: errors', () => {
  it.each(OTHER_CASES)('%s', async (_name, main, expected) => {
    const found = await problems(main);
    expect(
      found.some((p) => p.startsWith(`vigil.yaml:${expected}`)),
      found.join('\n'),
    ).toBe(true);
  });
});

describe('checks: reporting', () => {
  it('reports every problem of every check at once, in file order', async () => {
    const main = `${HEAD}  a: {type: tcp, host: a.example.net}\n  b: {type: http, host: a.example.net, rise: 0, send: x}\n`;
    expect(await problems(main)).toEqual([
      'vigil.yaml:4:6: checks.a: expected key "port" for type tcp, got none',
      'vigil.yaml:5:46: checks.b.rise: expected an integer from 1 to 100, got 0',
      'vigil.yaml:5:49: checks.b.send: not valid for type http',
    ]);
  });

  it('reports a ca file without a certificate at the ca value', async () => {
    const main = check('type: https', 'host: a.example.net', 'tls: {ca: ca.pem}');
    const file = await writeConfig({ 'example.com.yaml': APEX }, main);
    await writeFile(join(dirname(file), 'ca.pem'), 'not a certificate\n');
    const found = await problemsOf(() => loadConfig(file));
    expect(found).toEqual([
      `vigil.yaml:7:15: checks.c.tls.ca: expected PEM certificates, got none in ${join(dirname(file), 'ca.pem')}`,
    ]);
  });
});
