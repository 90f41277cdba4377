/**
 * dig (BIND 9) as an independent decoder for every record type and for
 * compressed names: a UDP server on 127.0.0.1 port 0 answers each query with
 * records encoded by MessageWriter, and dig's presentation output is compared
 * with the zone-file text of the same records.
 */
import { execFile } from 'node:child_process';
import { createSocket, type Socket } from 'node:dgram';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { TYPE_CODE, type RDataByType } from '../../src/zone/types.js';
import {
  CLASS,
  FLAG,
  MessageWriter,
  parseQuery,
  writeOpt,
  type WireRecordType,
} from '../../src/wire/index.js';

const run = promisify(execFile);
const DIG = '/usr/bin/dig';

interface Case<T extends WireRecordType = WireRecordType> {
  type: T;
  rdata: RDataByType[T];
  /** What dig prints after "IN\t<TYPE>\t". */
  text: string;
}

/** dig prints hexadecimal rdata in uppercase; the model holds it in lowercase. */
const SHA1 = '2BB183AF5F22588179A53B0A98631FAD1A292118';
const FINGERPRINT = '123456789ABCDEF67890123456789ABCDEF67890';

const CASES: Case[] = [
  { type: 'A', rdata: { address: '192.0.2.1' }, text: '192.0.2.1' },
  { type: 'AAAA', rdata: { address: '2001:db8::53' }, text: '2001:db8::53' },
  { type: 'CNAME', rdata: { target: 'www.example.net.' }, text: 'www.example.net.' },
  { type: 'NS', rdata: { target: 'ns1.example.com.' }, text: 'ns1.example.com.' },
  { type: 'PTR', rdata: { target: 'host.example.org.' }, text: 'host.example.org.' },
  { type: 'MX', rdata: { preference: 10, exchange: 'mail.t.test.' }, text: '10 mail.t.test.' },
  {
    type: 'TXT',
    rdata: { strings: ['v=spf1 -all', 'two words'] },
    text: '"v=spf1 -all" "two words"',
  },
  { type: 'SPF', rdata: { strings: ['v=spf1 -all'] }, text: '"v=spf1 -all"' },
  {
    type: 'SRV',
    rdata: { priority: 10, weight: 60, port: 5060, target: 'sip.t.test.' },
    text: '10 60 5060 sip.t.test.',
  },
  {
    type: 'CAA',
    rdata: { flags: 0, tag: 'issue', value: 'ca.example.net' },
    text: '0 issue "ca.example.net"',
  },
  {
    type: 'DS',
    rdata: { keyTag: 60485, algorithm: 5, digestType: 1, digest: SHA1.toLowerCase() },
    text: `60485 5 1 ${SHA1}`,
  },
  {
    type: 'SSHFP',
    rdata: { algorithm: 2, fingerprintType: 1, fingerprint: FINGERPRINT.toLowerCase() },
    text: `2 1 ${FINGERPRINT}`,
  },
  {
    type: 'TLSA',
    rdata: { usage: 3, selector: 1, matchingType: 1, data: 'd2abde240d7cd3ee6b4b28c54df034b9' },
    text: '3 1 1 D2ABDE240D7CD3EE6B4B28C54DF034B9',
  },
  {
    type: 'NAPTR',
    rdata: {
      order: 100,
      preference: 10,
      flags: 'S',
      service: 'SIP+D2U',
      regexp: '',
      replacement: '_sip._udp.t.test.',
    },
    text: '100 10 "S" "SIP+D2U" "" _sip._udp.t.test.',
  },
  {
    type: 'SVCB',
    rdata: {
      priority: 16,
      target: 'foo.example.org.',
      params: [
        { key: 'alpn', values: ['h2', 'h3-19'] },
        { key: 'mandatory', values: ['ipv4hint', 'alpn'] },
        { key: 'ipv4hint', values: ['192.0.2.1'] },
        { key: 'key667', values: ['hello'] },
      ],
    },
    text:
      '16 foo.example.org. mandatory=alpn,ipv4hint alpn="h2,h3-19" ipv4hint=192.0.2.1 ' +
      'key667="hello"',
  },
  {
    type: 'HTTPS',
    rdata: {
      priority: 1,
      target: '.',
      params: [
        { key: 'ipv6hint', values: ['2001:db8::1', '2001:db8::2'] },
        { key: 'port', values: ['8443'] },
        { key: 'ech', values: ['AAECAw=='] },
        { key: 'no-default-alpn', values: [] },
        { key: 'alpn', values: ['h3'] },
      ],
    },
    text: '1 . alpn="h3" no-default-alpn port=8443 ech=AAECAw== ipv6hint=2001:db8::1,2001:db8::2',
  },
  {
    type: 'SOA',
    rdata: {
      mname: 'ns1.t.test.',
      rname: 'hostmaster.t.test.',
      serial: 2024010101,
      refresh: 7200,
      retry: 3600,
      expire: 1209600,
      minimum: 300,
    },
    text: 'ns1.t.test. hostmaster.t.test. 2024010101 7200 3600 1209600 300',
  },
];

/** Owner of each case: the type's name under t.test. */
const owner = (type: string): string => `${type.toLowerCase()}.t.test.`;

/** Answers every query with the case of its qtype; the question is echoed as sent. */
function answer(msg: Buffer): Buffer | undefined {
  const q = parseQuery(msg);
  if (q.kind !== 'query') return undefined;
  const c = CASES.find((x) => TYPE_CODE[x.type] === q.qtype);
  const w = new MessageWriter()
    .header(q.id, FLAG.QR | FLAG.AA | (q.flags & FLAG.RD))
    .questionBytes(msg, 12, q.qnameEnd + 4);
  if (c !== undefined) w.record(owner(c.type), c.type, CLASS.IN, 300, c.rdata as never);
  if (q.edns !== null) writeOpt(w, { dnssecOk: q.edns.dnssecOk });
  return w.finish();
}

/** Runs dig with several queries in one process; returns the answer lines. */
async function dig(port: number, queries: string[][]): Promise<string[]> {
  const args = [`@127.0.0.1`, '-p', String(port), '+noall', '+answer', '+tries=1', '+time=3'];
  const { stdout } = await run(DIG, [...args, ...queries.flat()]);
  return stdout.split('\n').filter((line) => line !== '' && !line.startsWith(';'));
}

describe.skipIf(!existsSync(DIG))('dig decodes what MessageWriter encodes', () => {
  let server: Socket;
  let port = 0;

  beforeAll(async () => {
    server = createSocket('udp4');
    server.on('message', (msg, rinfo) => {
      const reply = answer(msg);
      if (reply !== undefined) server.send(reply, rinfo.port, rinfo.address);
    });
    await new Promise<void>((resolve) => server.bind(0, '127.0.0.1', resolve));
    port = server.address().port;
  });

  afterAll(() => {
    server.close();
  });

  test('every record type prints as its zone-file text', async () => {
    const lines = await dig(
      port,
      CASES.map((c) => [owner(c.type), c.type]),
    );
    const expected = CASES.map((c) => `${owner(c.type)}\t300\tIN\t${c.type}\t${c.text}`);
    expect(lines.map((l) => l.replace(/\t+/g, '\t'))).toEqual(expected);
  });

  test('the owner points at the question and echoes its case (RFC 4343 §4.1)', async () => {
    const lines = await dig(port, [['MX.T.Test.', 'MX']]);
    expect(lines).toEqual(['MX.T.Test.\t\t300\tIN\tMX\t10 mail.T.Test.']);
  });
});
