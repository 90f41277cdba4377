/**
 * The registry of check types. Each type has one file (check-http.ts,
 * check-tcp.ts, check-dns.ts) that lists the keys it adds to the common ones
 * and reads them into its part of the CheckConfig model of src/health/types.ts.
 */
import type { CheckBase, CheckType, DnsCheck, HttpCheck, TcpCheck } from '../health/types.js';
import { DNS_KIND } from './check-dns.js';
import { HTTP_KIND, HTTPS_KIND } from './check-http.js';
import { TCP_KIND } from './check-tcp.js';
import type { ProblemSink } from './problems.js';
import type { ReadContext } from './value-read.js';
import type { YPair } from './yaml-tree.js';

/** A `ca` file named by a check's `tls:`, read after the main file is parsed. */
export interface CaFile {
  /** The check it belongs to. */
  readonly check: string;
  /** Absolute path of the file. */
  readonly file: string;
  /** Offset and key path of the `ca` value, for problems. */
  readonly offset: number;
  readonly path: string;
}

/** What a type's reader needs beyond the check's own mapping. */
export interface CheckEnv {
  /** The check's name and host (undefined when `host` had a problem). */
  readonly name: string;
  readonly host: string | undefined;
  /** Folder of the main file: relative paths start here. */
  readonly baseDir: string;
  /** Where warnings (valid but risky settings) go. */
  readonly warnings: ProblemSink;
  /** `ca` files to read once parsing is done. */
  readonly caFiles: CaFile[];
}

/** The fields a check type adds to CheckBase. */
export type KindFields =
  | Omit<HttpCheck, keyof CheckBase>
  | Omit<TcpCheck, keyof CheckBase>
  | Omit<DnsCheck, keyof CheckBase>;

/** One check type: its keys, its default port, and the reader of its fields. */
export interface CheckKind {
  /** Keys this type takes besides the common ones. */
  readonly keys: readonly string[];
  /** Port when `port` is absent; undefined makes `port` required. */
  readonly defaultPort: number | undefined;
  /** Reads this type's keys from the check's mapping; undefined after a problem. */
  read(fields: Map<string, YPair>, ctx: ReadContext, env: CheckEnv): KindFields | undefined;
}

/** Every check type by its `type:` name. */
export const CHECK_KINDS: Readonly<Record<CheckType, CheckKind>> = {
  http: HTTP_KIND,
  https: HTTPS_KIND,
  tcp: TCP_KIND,
  dns: DNS_KIND,
};

/** Names accepted in `type:`. */
export const CHECK_TYPES = Object.keys(CHECK_KINDS) as CheckType[];

/** Every key some type takes, in a fixed order, for "not valid for type" messages. */
export const TYPE_KEYS: readonly string[] = [
  ...new Set(CHECK_TYPES.flatMap((t) => CHECK_KINDS[t].keys)),
];
