/**
 * Builders for check definitions and a throwaway self-signed certificate,
 * shared by the health tests. Only reserved names are used.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DnsCheck, HttpCheck, ProbeResult, TcpCheck } from '../../src/health/index.js';

const SOURCE = { file: 'vigil.yaml', line: 1, col: 1 };

const BASE = {
  host: 'service.example.com',
  address: '127.0.0.1',
  port: 0,
  intervalMs: 1000,
  timeoutMs: 500,
  rise: 2,
  fall: 3,
  initial: 'up',
  source: SOURCE,
} as const;

/** An `http` check against 127.0.0.1; override any field. */
export function httpCheck(overrides: Partial<HttpCheck> = {}): HttpCheck {
  return {
    ...BASE,
    name: 'web',
    type: 'http',
    path: '/health',
    method: 'GET',
    expectStatus: [[200, 399]],
    expectBody: undefined,
    headers: {},
    tls: undefined,
    ...overrides,
  };
}

/** A `tcp` check against 127.0.0.1; override any field. */
export function tcpCheck(overrides: Partial<TcpCheck> = {}): TcpCheck {
  return {
    ...BASE,
    name: 'smtp',
    type: 'tcp',
    send: undefined,
    expect: undefined,
    tls: undefined,
    ...overrides,
  };
}

/** A `dns` check against 127.0.0.1; override any field. */
export function dnsCheck(overrides: Partial<DnsCheck> = {}): DnsCheck {
  return {
    ...BASE,
    name: 'ns',
    type: 'dns',
    query: { name: 'www.example.com', type: 'A' },
    expectRcode: 'NOERROR',
    expectAnswer: undefined,
    ...overrides,
  };
}

/** A probe result with only the fields state logic reads. */
export function result(
  ok: boolean,
  at = 0,
  reason = ok ? 'status 200' : 'status 503',
): ProbeResult {
  return { at, ok, reason, durationMs: 1, phases: {} };
}

/** A self-signed certificate for `service.example.com`, made with the openssl CLI. */
export function makeSelfSignedCert(): { key: string; cert: string } {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-health-'));
  try {
    const keyPath = join(dir, 'key.pem');
    const certPath = join(dir, 'cert.pem');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=service.example.com',
        '-addext',
        'subjectAltName=DNS:service.example.com',
        '-keyout',
        keyPath,
        '-out',
        certPath,
      ],
      { stdio: 'ignore' },
    );
    return { key: readFileSync(keyPath, 'utf8'), cert: readFileSync(certPath, 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
