/**
 * The validated, frozen configuration that the loader hands to the server.
 */
import type { CheckConfig } from '../health/types.js';
import type { ZoneSource } from '../zone/types.js';

/** One address vigil listens on, for UDP and TCP alike. */
export interface ListenAddress {
  /** IP literal without brackets: '127.0.0.1' or '::1'. */
  readonly host: string;
  /** Port; 0 asks the kernel for a free one (tests). */
  readonly port: number;
  readonly family: 4 | 6;
}

/** One upstream resolver that ALIAS targets outside vigil's zones are resolved through. */
export interface ResolverAddress {
  /** IP literal without brackets, in canonical form. */
  readonly host: string;
  /** 1 to 65535; 53 unless written. */
  readonly port: number;
}

/** `server:` in the main file. */
export interface ServerConfig {
  readonly listen: readonly ListenAddress[];
  /** Idle TCP connections are closed after this long (RFC 7766 §6.2.3). */
  readonly tcpIdleTimeoutMs: number;
  /** Connections beyond this many are refused at accept. */
  readonly tcpMaxConnections: number;
  /** pino level: fatal, error, warn, info, debug, trace. */
  readonly logLevel: string;
  /** Address of the status API; undefined when `http` is absent (off). */
  readonly http: ListenAddress | undefined;
  /** Probes running at once, across all checks. */
  readonly probeConcurrency: number;
  /** Worker threads the checks are spread over; each runs its share of the probes. */
  readonly probeThreads: number;
  /** `resolvers`, in the order they are asked; the system's resolvers when absent. */
  readonly resolvers: readonly ResolverAddress[];
  /** How long past its TTL an ALIAS target's last good answer is still served. */
  readonly aliasMaxStaleMs: number;
}

/** One webhook that health transitions are posted to. */
export interface WebhookConfig {
  /** An http: or https: URL, normalised by the WHATWG URL parser. */
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
}

/** `notify:` in the main file. */
export interface NotifyConfig {
  readonly webhooks: readonly WebhookConfig[];
}

/** The whole configuration: main file plus every zone file. */
export interface VigilConfig {
  /** Absolute path of the main file. */
  readonly file: string;
  readonly server: ServerConfig;
  /** Absolute path of the zone folder. */
  readonly zonesDir: string;
  readonly zones: readonly ZoneSource[];
  /** `checks:`, in file order. */
  readonly checks: readonly CheckConfig[];
  readonly notify: NotifyConfig;
  /**
   * Valid but risky settings, formatted like problems
   * (`file:line:col: key.path: message`); empty when there are none.
   */
  readonly warnings: readonly string[];
}
