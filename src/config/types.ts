/**
 * The validated, frozen configuration that the loader hands to the server.
 */
import type { ZoneSource } from '../zone/types.js';

/** One address vigil listens on, for UDP and TCP alike. */
export interface ListenAddress {
  /** IP literal without brackets: '127.0.0.1' or '::1'. */
  readonly host: string;
  /** Port; 0 asks the kernel for a free one (tests). */
  readonly port: number;
  readonly family: 4 | 6;
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
}

/** The whole configuration: main file plus every zone file. */
export interface VigilConfig {
  /** Absolute path of the main file. */
  readonly file: string;
  readonly server: ServerConfig;
  /** Absolute path of the zone folder. */
  readonly zonesDir: string;
  readonly zones: readonly ZoneSource[];
}
