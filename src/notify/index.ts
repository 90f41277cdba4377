/**
 * The notify module's surface: webhooks posted on health transitions.
 * Other folders import from here only.
 */
export { buildPayload, type PayloadResult, type WebhookPayload } from './payload.js';
export {
  DEFAULT_BASE_DELAY_MS,
  DEFAULT_MAX_ATTEMPTS,
  DEFAULT_TIMEOUT_MS,
  WebhookNotifier,
  type WebhookFetch,
  type WebhookOptions,
} from './webhooks.js';
