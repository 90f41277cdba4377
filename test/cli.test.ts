/**
 * The `vigil` command as an operator runs it: validate's summary and error
 * lines with their exit status, version, and unknown commands.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli as run } from './support/process.js';
import { writeConfig } from './support/vigil.js';

const ZONE = `
'':
  type: NS
  value: ns1.example.com.
ns1:
  type: A
  value: 192.0.2.53
`;

describe('vigil command', () => {
  let dir: string;
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('validate prints one line per zone and exits 0', async () => {
    dir = await mkdtemp(join(tmpdir(), 'vigil-cli-'));
    await writeConfig(dir, {
      'example.com.yaml': ZONE,
      'example.net.yaml': ZONE.replaceAll('.com', '.net'),
    });
    const { status, stdout } = await run(['validate', '--config', 'vigil.yaml'], dir);
    expect(status).toBe(0);
    expect(stdout).toMatch(
      /^example\.com\. serial \d+ rrsets 3\nexample\.net\. serial \d+ rrsets 3\nvigil\.yaml: ok, 2 zone\(s\)\n$/,
    );
  });

  it('validate prints every problem with its place and exits 1', async () => {
    dir = await mkdtemp(join(tmpdir(), 'vigil-cli-'));
    await writeConfig(dir, {
      'example.com.yaml': `${ZONE}bad:\n  type: A\n  value: 192.0.2.300\n`,
    });
    await writeFile(
      join(dir, 'zones', 'example.net.yaml'),
      'www:\n  type: CNAME\n  value: web.example.net\n',
    );
    const { status, stdout, stderr } = await run(['validate', '--config', 'vigil.yaml'], dir);
    expect(status).toBe(1);
    expect(stdout).toBe('');
    expect(stderr.split('\n')).toEqual([
      'zones/example.com.yaml:10:10: bad.value: expected an IPv4 address, got "192.0.2.300"',
      expect.stringMatching(/^zones\/example\.net\.yaml:1:1: .*NS/),
      'zones/example.net.yaml:3:10: www.value: expected an absolute name ending in ".", got "web.example.net" (did you mean "web.example.net."?)',
      'vigil: 3 problem(s), nothing loaded',
      '',
    ]);
  });

  it('prints its version and refuses unknown commands with status 2', async () => {
    dir = await mkdtemp(join(tmpdir(), 'vigil-cli-'));
    expect((await run(['version'])).stdout).toMatch(/^vigil \d+\.\d+\.\d+\n$/);
    const unknown = await run(['serve']);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('unknown command "serve"');
  });

  it('validate prints warnings and still exits 0', async () => {
    dir = await mkdtemp(join(tmpdir(), 'vigil-cli-'));
    await writeConfig(dir, { 'example.com.yaml': ZONE });
    const main = join(dir, 'vigil.yaml');
    const checks = [
      'checks:',
      '  web:',
      '    type: https',
      '    host: web.example.net',
      '    tls: {verify: false}',
      '',
    ].join('\n');
    await writeFile(main, `${await readFile(main, 'utf8')}${checks}`);
    const { status, stderr } = await run(['validate', '--config', 'vigil.yaml'], dir);
    expect(status).toBe(0);
    expect(stderr).toMatch(
      /^warning: vigil\.yaml:\d+:\d+: checks\.web\.tls\.verify: certificate verification is off\n$/,
    );
  });
});
