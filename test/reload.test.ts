/**
 * Reload on SIGHUP, through the real executable: a good edit is served, a
 * broken edit keeps the last good data and logs every error with its
 * location, and queries sent during reloads are all answered.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dig } from './support/dig.js';
import { spawnVigil, type VigilProcess } from './support/process.js';
import { buildQuery, exchangeUdp, header } from './support/raw.js';
import { writeConfig } from './support/vigil.js';

const ZONE = (address: string) => `
'':
  - type: NS
    value: ns1.example.com.
ns1:
  type: A
  value: 192.0.2.53
www:
  type: A
  value: ${address}
`;

describe('reload on SIGHUP', () => {
  let dir: string;
  let main: string;
  let vigil: VigilProcess;
  const server = () => ({ host: '127.0.0.1', port: vigil.port });

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vigil-reload-'));
    main = await writeConfig(dir, { 'example.com.yaml': ZONE('192.0.2.10') });
    vigil = await spawnVigil(main);
  });

  afterEach(async () => {
    await vigil?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  const reloadLines = () =>
    vigil.logs.filter((l) => l.msg === 'reload' || l.msg === 'reload failed');

  async function sighup(): Promise<Record<string, unknown>> {
    const before = reloadLines().length;
    vigil.proc.kill('SIGHUP');
    await vigil.waitForLog(() => reloadLines().length > before);
    return reloadLines()[before]!;
  }

  it('serves a good edit and logs what changed', async () => {
    const serialBefore = (await dig(server(), 'example.com.', 'SOA')).answer[0]!.data.split(' ')[2];
    await writeFile(join(dir, 'zones', 'example.com.yaml'), ZONE('192.0.2.20'));

    const line = await sighup();
    expect(line).toMatchObject({ msg: 'reload', level: 'info', rrsetsAdded: 1, rrsetsRemoved: 1 });
    const changed = (
      line.zonesChanged as { zone: string; oldSerial: number; newSerial: number }[]
    )[0]!;
    expect(changed.zone).toBe('example.com.');
    expect(changed.newSerial).toBeGreaterThan(changed.oldSerial);
    expect(String(changed.oldSerial)).toBe(serialBefore);

    const reply = await dig(server(), 'www.example.com.', 'A');
    expect(reply.answer.map((r) => r.data)).toEqual(['192.0.2.20']);
  });

  it('keeps serving the old data when an edit is broken', async () => {
    await writeFile(
      join(dir, 'zones', 'example.com.yaml'),
      `${ZONE('192.0.2.20')}bad:\n  type: A\n  value: 192.0.2.300\n`,
    );

    const line = await sighup();
    expect(line).toMatchObject({ msg: 'reload failed', level: 'error' });
    const errors = line.errors as string[];
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/example\.com\.yaml:13:10: bad\.value: .*192\.0\.2\.300/);

    const reply = await dig(server(), 'www.example.com.', 'A');
    expect(reply.answer.map((r) => r.data)).toEqual(['192.0.2.10']);
  });

  it('adds and removes zones', async () => {
    await writeFile(
      join(dir, 'zones', 'example.net.yaml'),
      ZONE('198.51.100.1').replaceAll('example.com', 'example.net'),
    );
    const added = await sighup();
    expect(added).toMatchObject({ zonesAdded: ['example.net.'], zonesRemoved: [] });
    expect((await dig(server(), 'www.example.net.', 'A')).flags).toContain('aa');

    await rm(join(dir, 'zones', 'example.net.yaml'));
    const removed = await sighup();
    expect(removed).toMatchObject({ zonesAdded: [], zonesRemoved: ['example.net.'] });
    expect((await dig(server(), 'www.example.net.', 'A')).rcode).toBe('REFUSED');
  });

  it('survives a SIGHUP sent the moment it logs started', async () => {
    // The handler must be in place before the line goes out; a SIGHUP with
    // no handler ends the process. Eight starts, four at a time, make a
    // late handler show.
    const once = async () => {
      const fresh = await spawnVigil(main);
      fresh.proc.kill('SIGHUP');
      try {
        await fresh.waitForLog((l) => l.msg === 'reload');
      } finally {
        await fresh.stop();
      }
    };
    for (let round = 0; round < 2; round++) await Promise.all([once(), once(), once(), once()]);
  });

  it('answers every query sent during reloads', async () => {
    let sent = 0;
    let answered = 0;
    let stop = false;
    const client = async (id: number) => {
      while (!stop) {
        sent++;
        const reply = await exchangeUdp(
          vigil.port,
          buildQuery({ id, name: 'www.example.com' }),
          2000,
        );
        if (reply !== null && header(reply).rcode === 0) answered++;
      }
    };
    const clients = Array.from({ length: 8 }, (_, i) => client(i));
    for (let i = 0; i < 5; i++) {
      await writeFile(join(dir, 'zones', 'example.com.yaml'), ZONE(`192.0.2.${30 + i}`));
      await sighup();
    }
    stop = true;
    await Promise.all(clients);
    expect(sent).toBeGreaterThan(100);
    expect(answered).toBe(sent);
  });
});
