/**
 * The probe registry: one Probe per check type. Adding a type means one new
 * file in this folder and one line here.
 */
import type { CheckType } from '../types.js';
import { dnsProbe } from './dns.js';
import { httpProbe } from './http.js';
import type { Probe } from './probe.js';
import { tcpProbe } from './tcp.js';

export type { Probe } from './probe.js';
export { MAX_BODY_BYTES } from './http.js';

/** The probe that runs each check type. */
export const PROBES: Readonly<Record<CheckType, Probe>> = Object.freeze({
  http: httpProbe,
  https: httpProbe,
  tcp: tcpProbe,
  dns: dnsProbe,
});
