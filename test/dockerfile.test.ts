/**
 * Keeps the Dockerfile honest: numeric non-root user, DNS ports on both
 * transports, an entrypoint that runs the compiled CLI, and a CMD the CLI
 * accepts whose config path lies under the mounted volume.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SUBCOMMANDS } from '../src/cli/cli.js';

interface Instruction {
  keyword: string;
  args: string;
  line: number;
}

const ROOT = new URL('../', import.meta.url);

/** Joins `\` continuations, drops comments, returns one entry per instruction. */
function parseDockerfile(text: string): Instruction[] {
  const out: Instruction[] = [];
  let pending = '';
  let startLine = 0;
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line.startsWith('#') || (line === '' && pending === '')) return;
    if (pending === '') startLine = i + 1;
    pending += `${line.replace(/\\$/, '')} `;
    if (line.endsWith('\\')) return;
    const m = /^(\S+)\s*(.*)$/.exec(pending.trim());
    if (m) out.push({ keyword: m[1]!.toUpperCase(), args: m[2]!.trim(), line: startLine });
    pending = '';
  });
  return out;
}

/** Instructions of the last stage, the image that ships. */
function finalStage(all: Instruction[]): Instruction[] {
  const lastFrom = all.map((ins) => ins.keyword).lastIndexOf('FROM');
  return all.slice(lastFrom);
}

/** Exec form only: shell form would put /bin/sh in front of node and eat signals. */
function execForm(ins: Instruction | undefined): string[] {
  expect(ins, 'instruction present').toBeDefined();
  const parsed: unknown = JSON.parse(ins!.args);
  expect(Array.isArray(parsed), `line ${ins!.line} is exec form`).toBe(true);
  return parsed as string[];
}

/** Long options the CLI source mentions, e.g. `--config`. */
function cliFlags(): Set<string> {
  const dir = new URL('src/cli/', ROOT);
  const flags = new Set<string>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
    for (const m of readFileSync(new URL(file, dir), 'utf8').matchAll(/--[a-z][a-z-]*/g)) {
      flags.add(m[0]);
    }
  }
  return flags;
}

const all = parseDockerfile(readFileSync(new URL('Dockerfile', ROOT), 'utf8'));
const stage = finalStage(all);
const last = (keyword: string) => stage.filter((ins) => ins.keyword === keyword).at(-1);

describe('Dockerfile', () => {
  it('builds in one stage and ships from the official slim Node 24 image', () => {
    const froms = all.filter((ins) => ins.keyword === 'FROM').map((ins) => ins.args);
    expect(froms.length).toBeGreaterThanOrEqual(2);
    expect(froms.at(-1)).toMatch(/^node:24-bookworm-slim\b/);
  });

  it('runs as a numeric non-root user and group', () => {
    const user = last('USER');
    expect(user?.args).toMatch(/^\d+(:\d+)?$/);
    const [uid, gid] = user!.args.split(':').map(Number);
    expect(uid).not.toBe(0);
    if (gid !== undefined) expect(gid).not.toBe(0);
  });

  it('exposes port 53 over UDP and TCP', () => {
    const ports = stage
      .filter((ins) => ins.keyword === 'EXPOSE')
      .flatMap((ins) => ins.args.split(/\s+/));
    expect(ports).toEqual(expect.arrayContaining(['53/udp', '53/tcp']));
  });

  it('has node run the compiled CLI directly as PID 1', () => {
    const entrypoint = execForm(last('ENTRYPOINT'));
    expect(entrypoint[0]).toBe('node');
    expect(entrypoint.at(-1)).toMatch(/\/dist\/cli\/main\.js$/);
    expect(last('STOPSIGNAL')?.args).toBe('SIGTERM');
  });

  it('passes a subcommand and flags the CLI accepts', () => {
    const [subcommand, ...rest] = execForm(last('CMD'));
    expect(SUBCOMMANDS).toContain(subcommand);
    const known = cliFlags();
    for (const flag of rest.filter((a) => a.startsWith('--'))) {
      expect(known, `src/cli knows ${flag}`).toContain(flag);
    }
  });

  it('reads its configuration from under the mounted volume', () => {
    const cmd = execForm(last('CMD'));
    const config = cmd[cmd.indexOf('--config') + 1];
    expect(cmd).toContain('--config');
    const volumes = stage
      .filter((ins) => ins.keyword === 'VOLUME')
      .flatMap((ins) => (ins.args.startsWith('[') ? JSON.parse(ins.args) : ins.args.split(/\s+/)));
    expect(volumes.some((v: string) => config?.startsWith(`${v.replace(/\/$/, '')}/`))).toBe(true);
  });

  it('runs node with the V8 flags of package.json, as npm start and the executable do', () => {
    const pkg = JSON.parse(readFileSync(new URL('package.json', ROOT), 'utf8')) as {
      config: { nodeFlags: string };
      scripts: { start: string };
    };
    const flags = pkg.config.nodeFlags.split(' ');
    expect(execForm(last('ENTRYPOINT')).slice(1, -1)).toEqual(flags);
    expect(pkg.scripts.start).toContain('node $npm_package_config_nodeFlags dist/cli/main.js');
    const shebang = readFileSync(new URL('src/cli/main.ts', ROOT), 'utf8').split('\n')[0];
    expect(shebang).toBe(`#!/usr/bin/env -S node ${pkg.config.nodeFlags}`);
  });
});
