/**
 * `tls:` of HTTPS and TCP checks, and the `ca` files it names, which are read
 * once the whole main file has been parsed.
 */
import { readFile } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import type { CheckConfig, TlsSettings } from '../health/types.js';
import type { CaFile, CheckEnv } from './check-kinds.js';
import { readBareHostname } from './names.js';
import type { ProblemSink } from './problems.js';
import { fieldContext, readBoolean, readMap, readString, type ReadContext } from './value-read.js';
import type { YNode } from './yaml-tree.js';

/** TLS settings of an HTTPS check without `tls:`, and the base of every `tls:`. */
export const DEFAULT_TLS: TlsSettings = { verify: true, servername: undefined, ca: undefined };

const PEM_CERTIFICATE = '-----BEGIN CERTIFICATE-----';

/**
 * Reads `tls: {verify, servername, ca}`. `ca` is left undefined here and
 * queued in env.caFiles; readCaFiles puts the file's PEM text in. Turning
 * `verify` off is allowed and recorded as a warning.
 */
export function readTls(
  node: YNode | null,
  ctx: ReadContext,
  env: CheckEnv,
): TlsSettings | undefined {
  const f = readMap(node, ctx, 'a mapping with verify, servername or ca', [
    'verify',
    'servername',
    'ca',
  ]);
  if (!f) return undefined;
  const verifyPair = f.get('verify');
  const verifyCtx = fieldContext(ctx, f, 'verify');
  const verify = verifyPair ? readBoolean(verifyPair.value, verifyCtx) : DEFAULT_TLS.verify;
  if (verify === false) {
    env.warnings.add(
      verifyPair?.value?.offset ?? verifyCtx.at,
      verifyCtx.path,
      'certificate verification is off',
    );
  }
  const namePair = f.get('servername');
  const servername = namePair
    ? readBareHostname(namePair.value, fieldContext(ctx, f, 'servername'))
    : DEFAULT_TLS.servername;
  const caPair = f.get('ca');
  if (caPair) {
    const caCtx = fieldContext(ctx, f, 'ca');
    const text = readString(caPair.value, caCtx, 'a file path');
    if (text === undefined) return undefined;
    const file = isAbsolute(text) ? text : resolve(env.baseDir, text);
    env.caFiles.push({
      check: env.name,
      file,
      offset: caPair.value?.offset ?? caCtx.at,
      path: caCtx.path,
    });
  }
  if (verify === undefined || (namePair && servername === undefined)) return undefined;
  return { verify, servername, ca: undefined };
}

/**
 * Reads every queued `ca` file and returns the checks with its PEM text in
 * `tls.ca`. A file that cannot be read, or holds no PEM certificate, is a
 * problem at the `ca` value.
 */
export async function readCaFiles(
  checks: readonly CheckConfig[],
  caFiles: readonly CaFile[],
  sink: ProblemSink,
): Promise<CheckConfig[]> {
  const pems = new Map<string, string>();
  for (const ca of caFiles) {
    let text: string;
    try {
      text = await readFile(ca.file, 'utf8');
    } catch (err) {
      const reason = (err as NodeJS.ErrnoException).code ?? String(err);
      sink.add(ca.offset, ca.path, `expected a readable file, got ${reason} for ${ca.file}`);
      continue;
    }
    if (!text.includes(PEM_CERTIFICATE)) {
      sink.add(ca.offset, ca.path, `expected PEM certificates, got none in ${ca.file}`);
      continue;
    }
    pems.set(ca.check, text);
  }
  return checks.map((check) => {
    const ca = pems.get(check.name);
    if (ca === undefined || check.type === 'dns' || !check.tls) return check;
    return { ...check, tls: { ...check.tls, ca } };
  });
}
