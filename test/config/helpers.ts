/** Test helpers: write a main file and zone files into a fresh temp folder. */
import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A minimal valid main file. */
export const MAIN = 'server:\n  listen: ["127.0.0.1:0"]\nzones: zones\n';

/** Apex NS set that every valid zone needs (3 lines). */
export const APEX = "'':\n  type: NS\n  values: [ns1.example.net., ns2.example.net.]\n";

/** Writes `main` as vigil.yaml and each zone as zones/<name>; returns the main file path. */
export async function writeConfig(zones: Record<string, string>, main = MAIN): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'vigil-config-'));
  await mkdir(join(dir, 'zones'));
  await writeFile(join(dir, 'vigil.yaml'), main);
  for (const [name, text] of Object.entries(zones)) await writeFile(join(dir, 'zones', name), text);
  return join(dir, 'vigil.yaml');
}

/** Runs `fn` and returns the formatted problems of the ConfigError it throws. */
export async function problemsOf(fn: () => Promise<unknown>): Promise<string[]> {
  try {
    await fn();
  } catch (err) {
    const problems = (
      err as {
        problems?: { file: string; line: number; col: number; path: string; message: string }[];
      }
    ).problems;
    if (!problems) throw err;
    return problems.map((p) => {
      const file = p.file.split('/').pop();
      const where = `${file}:${p.line}:${p.col}`;
      return p.path ? `${where}: ${p.path}: ${p.message}` : `${where}: ${p.message}`;
    });
  }
  throw new Error('expected a ConfigError, got success');
}
