/**
 * Runs the built `vigil` executable (dist/cli/main.js) as a child process,
 * the way an operator does, and reads its JSON log lines as data.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';

/** Path of the compiled CLI; `npm test` builds it first. */
export const CLI = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

/** A running vigil process. */
export interface VigilProcess {
  proc: ChildProcess;
  port: number;
  logs: Record<string, unknown>[];
  /** Resolves with the first log line (from now or earlier) that `match` accepts. */
  waitForLog(
    match: (line: Record<string, unknown>) => boolean,
    timeoutMs?: number,
  ): Promise<Record<string, unknown>>;
  stop(): Promise<number | null>;
}

/** Starts `vigil start --config file` and waits for its `started` line. */
export async function spawnVigil(configFile: string): Promise<VigilProcess> {
  const proc = spawn(process.execPath, [CLI, 'start', '--config', configFile], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: Record<string, unknown>[] = [];
  const waiters = new Set<() => void>();
  let stderr = '';
  let buffered = '';

  proc.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  proc.stdout!.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    let newline: number;
    while ((newline = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, newline);
      buffered = buffered.slice(newline + 1);
      if (line.trim() !== '') logs.push(JSON.parse(line) as Record<string, unknown>);
    }
    for (const wake of waiters) wake();
  });

  const waitForLog: VigilProcess['waitForLog'] = (match, timeoutMs = 15_000) =>
    new Promise((resolve, reject) => {
      const check = () => {
        const found = logs.find(match);
        if (found === undefined) return;
        cleanup();
        resolve(found);
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`no matching log line within ${timeoutMs} ms; stderr: ${stderr}`));
      }, timeoutMs);
      const onExit = () => {
        cleanup();
        reject(new Error(`vigil exited (${proc.exitCode ?? proc.signalCode}); stderr: ${stderr}`));
      };
      const cleanup = () => {
        clearTimeout(timer);
        waiters.delete(check);
        proc.off('exit', onExit);
      };
      waiters.add(check);
      proc.once('exit', onExit);
      check();
    });

  const started = await waitForLog((l) => l.msg === 'started');
  const listeners = started.listeners as { port: number; transport: string }[];
  return {
    proc,
    port: listeners.find((l) => l.transport === 'udp')!.port,
    logs,
    waitForLog,
    stop: () =>
      new Promise((resolve) => {
        if (proc.exitCode !== null || proc.signalCode !== null) return resolve(proc.exitCode);
        proc.once('exit', (code) => resolve(code));
        proc.kill('SIGTERM');
      }),
  };
}

/** Runs the compiled CLI to completion in `cwd`; its exit status and output. */
export async function runCli(
  args: string[],
  cwd?: string,
): Promise<{ status: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [CLI, ...args], { cwd });
    return { status: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { status: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}
