import { execFile } from 'node:child_process';
import { mkdtemp, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { loadConfig, loadConfigInChild } from '../../src/config/index.js';
import { APEX, problemsOf, writeConfig } from './helpers.js';

const ZONE = `${APEX}www: {type: A, value: 192.0.2.1}\n`;

describe('loadConfigInChild', () => {
  it('loads in-thread when running from TypeScript source', async () => {
    const main = await writeConfig({ 'example.com.yaml': ZONE });
    expect(await loadConfigInChild(main)).toEqual(await loadConfig(main));
  });

  it('runs the compiled child process and reuses unchanged zones', async () => {
    const out = await mkdtemp(join(tmpdir(), 'vigil-dist-'));
    const tsc = join(process.cwd(), 'node_modules', 'typescript', 'bin', 'tsc');
    await promisify(execFile)(process.execPath, [
      tsc,
      '--outDir',
      out,
      '--rootDir',
      'src',
      '--module',
      'nodenext',
      '--target',
      'es2023',
      '--strict',
      '--skipLibCheck',
      '--types',
      'node',
      'src/config/index.ts',
      'src/config/load-child.ts',
    ]);
    // The compiled files import packages; let them resolve this checkout's node_modules.
    await symlink(join(process.cwd(), 'node_modules'), join(out, 'node_modules'));
    const compiled = (await import(
      pathToFileURL(join(out, 'config', 'index.js')).href
    )) as typeof import('../../src/config/index.js');

    const main = await writeConfig({ 'example.com.yaml': ZONE });
    const first = await compiled.loadConfigInChild(main);
    expect(first).toEqual(await loadConfig(main));
    expect(Object.isFrozen(first.zones[0]?.rrsets)).toBe(true);
    const again = await compiled.loadConfigInChild(main, { previous: first });
    expect(again.zones[0]).toBe(first.zones[0]);

    const bad = await writeConfig({ 'example.com.yaml': 'www: {type: A, value: 1.2.3}\n' });
    expect(await problemsOf(() => compiled.loadConfigInChild(bad))).toHaveLength(2);
  }, 60_000);
});
