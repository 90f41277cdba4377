/**
 * `type: tcp` checks: connect, optionally wrap in TLS, optionally send a
 * line and expect the reply to start with a given text. No default port.
 */
import type { CheckKind } from './check-kinds.js';
import { readTls } from './check-tls.js';
import { fieldContext, readText } from './value-read.js';

/** `type: tcp`: `port` is required; `tls` only when given. */
export const TCP_KIND: CheckKind = {
  keys: ['send', 'expect', 'tls'],
  defaultPort: undefined,
  read(f, ctx, env) {
    const sendPair = f.get('send');
    const send = sendPair ? readText(sendPair.value, fieldContext(ctx, f, 'send')) : undefined;
    const expectPair = f.get('expect');
    const expect = expectPair
      ? readText(expectPair.value, fieldContext(ctx, f, 'expect'), 'a non-empty reply prefix')
      : undefined;
    const tlsPair = f.get('tls');
    const tls = tlsPair ? readTls(tlsPair.value, fieldContext(ctx, f, 'tls'), env) : undefined;
    const failed =
      (sendPair && send === undefined) ||
      (expectPair && expect === undefined) ||
      (tlsPair && tls === undefined);
    return failed ? undefined : { send, expect, tls };
  },
};
