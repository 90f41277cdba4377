/**
 * `notify:` of the main file: where health transitions are reported.
 * Webhooks only for now.
 */
import { readHeaders } from './check-http.js';
import type { NotifyConfig, WebhookConfig } from './types.js';
import {
  fieldContext,
  joinPath,
  readMap,
  readString,
  within,
  type ReadContext,
} from './value-read.js';
import type { YNode } from './yaml-tree.js';

/** `notify:` when the main file has none. */
export const DEFAULT_NOTIFY: NotifyConfig = { webhooks: [] };

const URL_WHAT = 'an http:// or https:// URL';

/** Reads `notify: {webhooks: [{url, headers?}, ...]}`. */
export function readNotify(node: YNode | null, ctx: ReadContext): NotifyConfig | undefined {
  const f = readMap(node, ctx, 'a mapping with webhooks', ['webhooks']);
  if (!f) return undefined;
  const list = f.get('webhooks');
  if (!list) return DEFAULT_NOTIFY;
  const lctx = fieldContext(ctx, f, 'webhooks');
  if (list.value?.kind !== 'seq') {
    ctx.sink.expected(list.value, lctx.at, lctx.path, 'a list of webhooks');
    return undefined;
  }
  const webhooks = list.value.items.map((item, i) =>
    readWebhook(item, { ...lctx, path: joinPath(lctx.path, i), at: item?.offset ?? lctx.at }),
  );
  if (!webhooks.every((w) => w !== undefined)) return undefined;
  return { webhooks: webhooks as WebhookConfig[] };
}

function readWebhook(node: YNode | null, ctx: ReadContext): WebhookConfig | undefined {
  const f = readMap(node, ctx, 'a mapping with url', ['url', 'headers']);
  if (!f) return undefined;
  const urlPair = f.get('url');
  const url = urlPair
    ? readUrl(urlPair.value, fieldContext(ctx, f, 'url'))
    : void ctx.sink.add(within(ctx, node).at, ctx.path, 'expected key "url", got none');
  const headersPair = f.get('headers');
  const headers = headersPair
    ? readHeaders(headersPair.value, fieldContext(ctx, f, 'headers'))
    : {};
  return url && headers ? { url, headers } : undefined;
}

function readUrl(node: YNode | null, ctx: ReadContext): string | undefined {
  const text = readString(node, ctx, URL_WHAT);
  if (text === undefined) return undefined;
  const url = URL.parse(text);
  if (url && (url.protocol === 'http:' || url.protocol === 'https:')) return url.href;
  ctx.sink.expected(node, ctx.at, ctx.path, URL_WHAT);
  return undefined;
}
