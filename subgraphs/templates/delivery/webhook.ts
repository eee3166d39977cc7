// Webhook delivery: an HTTP POST of a JSON event, signed the way Stripe signs its webhooks — the
// `X-ReportGraph-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">` header, with
// the schedule's secret — so a receiver can check the sender and refuse replays older than a few
// minutes. `X-ReportGraph-Delivery` (the delivery's id, the same on every retry) lets it
// de-duplicate. Connections obey the network policy of imports, with their own switch
// (WEBHOOK_ALLOW_PRIVATE_NETWORKS): a report schedule must not become a way to POST into the
// private network. Redirects are not followed.
import { createHmac } from 'node:crypto';
import type { Dispatcher } from 'undici';
import { guardedAgent, PrivateAddressRefused, undici } from '../../../lib/network.js';
import type { SendOutcome } from './mail.js';

export const SIGNATURE_HEADER = 'x-reportgraph-signature';
export const DELIVERY_HEADER = 'x-reportgraph-delivery';
export const EVENT_HEADER = 'x-reportgraph-event';

/** Bytes of a receiver's answer kept for the delivery log. */
const ANSWER_BYTES = 512;

/** `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`. */
export function signatureHeader(secret: string, body: string, unixSeconds: number): string {
  const digest = createHmac('sha256', secret).update(`${unixSeconds}.${body}`).digest('hex');
  return `t=${unixSeconds},v1=${digest}`;
}

export interface WebhookCall {
  url: string;
  secret: string;
  event: string;
  deliveryId: string;
  body: string;
  now: Date;
}

export interface WebhookSender {
  send(call: WebhookCall): Promise<SendOutcome>;
  close(): Promise<void>;
}

/** Statuses worth another attempt: the receiver may answer differently later. */
const RETRYABLE = (status: number) => status >= 500 || status === 408 || status === 429;

const refusedByPolicy = (err: unknown): boolean =>
  err instanceof PrivateAddressRefused || (err as { cause?: unknown })?.cause instanceof PrivateAddressRefused;

export function createWebhookSender({ allowPrivate, timeoutMs }: { allowPrivate: boolean; timeoutMs: number }): WebhookSender {
  let agent: Dispatcher | undefined;
  return {
    async send({ url, secret, event, deliveryId, body, now }) {
      try {
        agent ??= guardedAgent({ allowPrivate, timeoutMs });
        const res = await undici().request(url, {
          method: 'POST',
          dispatcher: agent,
          headers: {
            'content-type': 'application/json',
            'user-agent': 'ReportGraph-Webhook/1',
            [EVENT_HEADER]: event,
            [DELIVERY_HEADER]: deliveryId,
            [SIGNATURE_HEADER]: signatureHeader(secret, body, Math.floor(now.getTime() / 1000)),
          },
          body,
          signal: AbortSignal.timeout(timeoutMs),
        });
        let answer = '';
        for await (const chunk of res.body) {
          if (answer.length < ANSWER_BYTES) answer += String(chunk);
        }
        const ok = res.statusCode >= 200 && res.statusCode < 300;
        return {
          ok,
          responseCode: res.statusCode,
          error: ok ? null : `HTTP ${res.statusCode}${answer ? `: ${answer.slice(0, ANSWER_BYTES)}` : ''}`,
          permanent: !ok && !RETRYABLE(res.statusCode),
        };
      } catch (err) {
        if (refusedByPolicy(err)) {
          return {
            ok: false,
            responseCode: null,
            error: `${new URL(url).hostname} is a private address; webhooks reach only public ones unless WEBHOOK_ALLOW_PRIVATE_NETWORKS=true`,
            permanent: true,
          };
        }
        const e = err as Error & { code?: string; cause?: { code?: string } };
        // The class of failure only: a message must not map the receiver's network for the schedule's owner.
        return {
          ok: false,
          responseCode: null,
          error: `could not reach the webhook (${e.code ?? e.cause?.code ?? e.name})`,
          permanent: false,
        };
      }
    },
    close: async () => agent?.close(),
  };
}
