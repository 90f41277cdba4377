/**
 * Every shipped example config and every YAML snippet in the docs loads.
 * A snippet is marked by the HTML comment on the line before its fence:
 * `<!-- check: zone example.com -->` (a zone file for that origin) or
 * `<!-- check: main -->` (a main file). A zone snippet is served by the
 * shipped main file, whose checks it may use; a main-file snippet by a
 * zone that needs no checks.
 */
import { cp, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/index.js';
import { MINIMAL_ZONE } from './support/health.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const dirs: string[] = [];

interface Snippet {
  file: string;
  line: number;
  kind: 'main' | 'zone';
  origin: string;
  text: string;
}

async function docFiles(): Promise<string[]> {
  const docs = (await readdir(join(ROOT, 'docs')).catch(() => [] as string[]))
    .filter((f) => f.endsWith('.md'))
    .map((f) => join('docs', f));
  const srcReadmes = (await readdir(join(ROOT, 'src'), { withFileTypes: true }))
    .filter((d) => d.isDirectory())
    .map((d) => join('src', d.name, 'README.md'));
  return ['README.md', ...docs, ...srcReadmes];
}

async function snippets(): Promise<Snippet[]> {
  const found: Snippet[] = [];
  for (const file of await docFiles()) {
    const text = await readFile(join(ROOT, file), 'utf8').catch(() => '');
    const lines = text.split('\n');
    lines.forEach((line, i) => {
      const mark = /^<!-- check: (main|zone)(?: (\S+))? -->$/.exec(line.trim());
      if (mark === null || !/^```ya?ml/.test(lines[i + 1] ?? '')) return;
      const end = lines.indexOf('```', i + 2);
      found.push({
        file,
        line: i + 3,
        kind: mark[1] as 'main' | 'zone',
        origin: mark[2] ?? 'example.com',
        text: lines.slice(i + 2, end).join('\n'),
      });
    });
  }
  return found;
}

afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

async function scratch(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'vigil-examples-'));
  dirs.push(dir);
  return dir;
}

describe('shipped examples', () => {
  it.each(['vigil.yaml', 'vigil.container.yaml'])(
    'config/%s loads with its zones',
    async (file) => {
      const config = await loadConfig(join(ROOT, 'config', file));
      expect(config.zones.map((z) => z.origin)).toContain('example.com.');
    },
  );

  it('every main file in config/ is one of those checked above', async () => {
    const shipped = (await readdir(join(ROOT, 'config'))).filter((f) => f.endsWith('.yaml'));
    expect(shipped.sort()).toEqual(['vigil.container.yaml', 'vigil.yaml']);
  });

  it('the docs mark at least one main-file and one zone snippet', async () => {
    const all = await snippets();
    expect(all.some((s) => s.kind === 'main')).toBe(true);
    expect(all.some((s) => s.kind === 'zone')).toBe(true);
  });
});

describe('YAML snippets in the docs load', async () => {
  const all = await snippets();
  it.each(all.map((s) => [`${s.file}:${s.line}`, s] as const))('%s', async (_where, snippet) => {
    const dir = await scratch();
    if (snippet.kind === 'zone') {
      // Served by the shipped main file, so failover snippets can use its checks.
      await cp(join(ROOT, 'config', 'vigil.yaml'), join(dir, 'vigil.yaml'));
      await cp(join(ROOT, 'config', 'zones'), join(dir, 'zones'), { recursive: true });
      await writeFile(join(dir, 'zones', `${snippet.origin}.yaml`), snippet.text);
    } else {
      // A main file with a zone that needs no checks: the snippet is about the main file.
      await writeFile(join(dir, 'vigil.yaml'), snippet.text);
      await mkdir(join(dir, 'zones'));
      await writeFile(join(dir, 'zones', 'example.com.yaml'), MINIMAL_ZONE);
    }
    const config = await loadConfig(join(dir, 'vigil.yaml'));
    expect(config.zones.length).toBeGreaterThan(0);
  });
});
