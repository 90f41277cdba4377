import { readFile, stat, utimes, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, type VigilConfig } from '../../src/config/index.js';
import { splitOctets } from '../../src/config/rdata-txt.js';
import { buildZone } from '../../src/config/zone-file.js';
import type { ConfigProblem } from '../../src/errors.js';
import type { RecordSet } from '../../src/zone/types.js';
import { writeConfig } from './helpers.js';

const LONG = `v=DKIM1\\; k=rsa\\; p=${'A'.repeat(300)}`;

/** Written the way `octodns-dump` writes a zone: sorted keys, lists, metadata. */
const DUMPED = `---
'':
- octodns:
    cloudflare:
      proxied: false
  type: A
  value: 192.0.2.1
- type: CAA
  values:
  - flags: 0
    tag: issue
    value: ca.example.net
- type: MX
  values:
  - exchange: mx1.example.com.
    preference: 10
  - exchange: mx2.example.com.
    preference: 20
- type: NS
  values:
  - ns1.example.net.
  - ns2.example.net.
- type: TXT
  values:
  - v=spf1 -all
  - semi\\;colon
'*':
  type: CNAME
  value: www.example.com.
_dmarc:
  ttl: 300
  type: TXT
  value: v=DMARC1\\; p=reject
_sip._tcp:
  type: SRV
  values:
  - port: 5060
    priority: 10
    target: sip.example.com.
    weight: 20
long:
  type: TXT
  value: ${LONG}
svc:
  type: HTTPS
  value:
    svcparams:
      alpn:
      - h2
      - h3
      ipv6hint:
      - 2001:DB8::1
      port: 8443
    svcpriority: 1
    targetname: .
www:
  type: AAAA
  values:
  - 2001:db8::10
  - 2001:db8::11
`;

function set(config: VigilConfig, name: string, type: string): RecordSet | undefined {
  return config.zones[0]?.rrsets.find((s) => s.name === name && s.type === type);
}

describe('loading zones', () => {
  it('loads a zone written by octodns-dump unchanged', async () => {
    const config = await loadConfig(await writeConfig({ 'example.com.yaml': DUMPED }));
    expect(config.zones.map((z) => z.origin)).toEqual(['example.com.']);
    expect(set(config, 'example.com.', 'MX')?.records).toEqual([
      { preference: 10, exchange: 'mx1.example.com.' },
      { preference: 20, exchange: 'mx2.example.com.' },
    ]);
    expect(set(config, 'example.com.', 'TXT')?.records).toEqual([
      { strings: ['v=spf1 -all'] },
      { strings: ['semi;colon'] },
    ]);
    expect(set(config, '_dmarc.example.com.', 'TXT')).toMatchObject({
      ttlSeconds: 300,
      records: [{ strings: ['v=DMARC1; p=reject'] }],
    });
    expect(set(config, '*.example.com.', 'CNAME')?.records).toEqual([
      { target: 'www.example.com.' },
    ]);
    expect(set(config, '_sip._tcp.example.com.', 'SRV')?.records).toEqual([
      { priority: 10, weight: 20, port: 5060, target: 'sip.example.com.' },
    ]);
    const strings = (set(config, 'long.example.com.', 'TXT')?.records[0] as { strings: string[] })
      .strings;
    expect(strings.map((s) => s.length)).toEqual([255, 63]);
    expect(strings.join('')).toBe(LONG.replaceAll('\\;', ';'));
    expect(set(config, 'svc.example.com.', 'HTTPS')?.records).toEqual([
      {
        priority: 1,
        target: '.',
        params: [
          { key: 'alpn', values: ['h2', 'h3'] },
          { key: 'port', values: ['8443'] },
          { key: 'ipv6hint', values: ['2001:db8::1'] },
        ],
      },
    ]);
    expect(set(config, 'example.com.', 'SOA')).toMatchObject({
      ttlSeconds: 3600,
      source: { line: 1, col: 1 },
      records: [
        {
          mname: 'ns1.example.net.',
          rname: 'hostmaster.example.com.',
          refresh: 3600,
          retry: 600,
          expire: 604800,
          minimum: 300,
        },
      ],
    });
    expect(set(config, 'www.example.com.', 'AAAA')?.source).toMatchObject({ line: 57, col: 3 });
    expect(Object.isFrozen(config.zones[0]?.rrsets[1]?.records)).toBe(true);
  });

  it('gives identical zones from the fast, yaml-entry and whole-file parsers', () => {
    const input = { file: 'f', origin: 'example.com.', contentHash: 'h', mtimeSeconds: 7 };
    const problems: ConfigProblem[] = [];
    const fast = buildZone({ ...input, text: DUMPED, mode: 'auto' }, problems);
    expect(problems).toEqual([]);
    expect(fast?.rrsets.length).toBe(12);
    expect(buildZone({ ...input, text: DUMPED, mode: 'yaml-entries' }, problems)).toEqual(fast);
    expect(buildZone({ ...input, text: DUMPED, mode: 'whole' }, problems)).toEqual(fast);
  });

  it('splits TXT strings at 255 octets without cutting a multi-byte character', () => {
    const pieces = splitOctets(`${'a'.repeat(254)}é${'b'.repeat(10)}`, 255);
    expect(pieces.map((p) => Buffer.byteLength(p))).toEqual([254, 12]);
    expect(splitOctets('', 255)).toEqual(['']);
  });

  it('keeps the serial while content is unchanged and raises it when it changes', async () => {
    const main = await writeConfig({ 'example.com.yaml': DUMPED });
    const zoneFile = join(dirname(main), 'zones', 'example.com.yaml');
    const first = await loadConfig(main);
    const serial = (s: VigilConfig) =>
      (set(s, 'example.com.', 'SOA')?.records[0] as { serial: number }).serial;
    expect(serial(first)).toBe(Math.floor((await stat(zoneFile)).mtimeMs / 1000));
    expect(serial(await loadConfig(main))).toBe(serial(first));

    const reused = await loadConfig(main, { previous: first });
    expect(reused.zones[0]).toBe(first.zones[0]);

    // Same second or an older mtime: the changed zone still gets previous + 1.
    await writeFile(zoneFile, `${DUMPED}new: {type: A, value: 192.0.2.9}\n`);
    await utimes(zoneFile, new Date(1_000_000_000), new Date(1_000_000_000));
    const changed = await loadConfig(main, { previous: first });
    expect(changed.zones[0]).not.toBe(first.zones[0]);
    expect(serial(changed)).toBe(serial(first) + 1);
  });

  it('keeps a serial pinned in the SOA', async () => {
    const soa =
      "'':\n- type: SOA\n  value: {mname: ns1.example.net., rname: h.example.com., " +
      'serial: 2024010101, refresh: 7200, retry: 900, expire: 1209600, minimum: 60}\n' +
      '- {type: NS, value: ns1.example.net.}\n';
    const config = await loadConfig(await writeConfig({ 'example.com.yaml': soa }));
    expect(config.zones[0]?.serialPinned).toBe(true);
    expect(set(config, 'example.com.', 'SOA')?.records[0]).toMatchObject({ serial: 2024010101 });
    expect(await readFile(config.file, 'utf8')).toContain('listen');
  });
});
