/**
 * The unauthenticated GET endpoints SNS messages link to (see urls.ts for the paths): the signing
 * certificate, SubscribeURL and UnsubscribeURL (XML answers, as AWS's API gives them), and the
 * HTML pages behind the links in emails.
 */
import { randomUUID } from 'node:crypto';
import { ServiceError, isServiceError } from '../../protocol/errors.ts';
import type { SnsDeps } from './deps.ts';
import { confirmWithToken, unsubscribeArn } from './subscriptions.ts';
import { SNS_HTTP_PREFIX } from './urls.ts';
import { topicArn } from './names.ts';

export interface SnsHttpResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

const XMLNS = 'http://sns.amazonaws.com/doc/2010-03-31/';

/** Answers a request whose path starts with SNS_HTTP_PREFIX; `pathAndQuery` is the raw request target. */
export async function handleSnsHttp(deps: SnsDeps, certificatePem: () => string, pathAndQuery: string): Promise<SnsHttpResponse> {
  const url = new URL(pathAndQuery, 'http://osprey.invalid');
  const path = url.pathname;
  const q = url.searchParams;
  const now = deps.clock.now();
  if (path === deps.urls.certPath()) {
    return { status: 200, headers: { 'content-type': 'application/x-pem-file', 'cache-control': 'public, max-age=86400' }, body: certificatePem() };
  }
  if (!path.startsWith(SNS_HTTP_PREFIX)) return notFound();
  const page = path.slice(SNS_HTTP_PREFIX.length);
  try {
    if (page === '') {
      const action = q.get('Action');
      if (action === 'ConfirmSubscription') {
        const { SubscriptionArn } = await confirmWithToken(deps, q.get('TopicArn') ?? undefined, q.get('Token') ?? undefined, {
          authenticated: false,
          authenticateOnUnsubscribe: false,
          now,
        });
        return xml(200, `<ConfirmSubscriptionResponse xmlns="${XMLNS}"><ConfirmSubscriptionResult><SubscriptionArn>${esc(SubscriptionArn)}</SubscriptionArn></ConfirmSubscriptionResult>${meta()}</ConfirmSubscriptionResponse>`);
      }
      if (action === 'Unsubscribe') {
        await unsubscribeArn(deps, undefined, q.get('SubscriptionArn') ?? undefined, now, false);
        return xml(200, `<UnsubscribeResponse xmlns="${XMLNS}">${meta()}</UnsubscribeResponse>`);
      }
      return xmlError(new ServiceError('InvalidAction', 'Only ConfirmSubscription and Unsubscribe are served here'));
    }
    if (page === 'confirmation.html') {
      const { SubscriptionArn } = await confirmWithToken(deps, q.get('TopicArn') ?? undefined, q.get('Token') ?? undefined, {
        authenticated: false,
        authenticateOnUnsubscribe: false,
        now,
      });
      return html(200, 'Subscription confirmed!', `You have successfully subscribed.</p><p>Your subscription's id is:<br><code>${esc(SubscriptionArn)}</code>`);
    }
    if (page === 'unsubscribe.html') {
      const sub = await unsubscribeArn(deps, undefined, q.get('SubscriptionArn') ?? undefined, now, false);
      return html(200, 'Subscription removed!', `Your subscription to the topic below has been deactivated for <b>${esc(sub.endpoint)}</b>.</p><p><code>${esc(topicArn({ account: sub.account, region: sub.region, name: sub.topicName }))}</code>`);
    }
    return notFound();
  } catch (e) {
    if (!isServiceError(e)) throw e;
    if (page.endsWith('.html')) return html(e.status === 404 ? 404 : 400, 'Something went wrong', esc(e.message));
    return xmlError(e);
  }
}

const meta = () => `<ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata>`;

function xml(status: number, body: string): SnsHttpResponse {
  return { status, headers: { 'content-type': 'text/xml' }, body };
}

const ERROR_STATUS: Record<string, number> = { NotFound: 404, AuthorizationError: 403 };

function xmlError(e: ServiceError): SnsHttpResponse {
  const status = ERROR_STATUS[e.code] ?? e.status;
  return xml(
    status,
    `<ErrorResponse xmlns="${XMLNS}"><Error><Type>Sender</Type><Code>${esc(e.code)}</Code><Message>${esc(e.message)}</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`,
  );
}

function html(status: number, title: string, paragraph: string): SnsHttpResponse {
  return {
    status,
    headers: { 'content-type': 'text/html; charset=utf-8' },
    body: `<!doctype html><html><head><meta charset="utf-8"><title>${esc(title)}</title></head><body><h1>${esc(title)}</h1><p>${paragraph}</p></body></html>`,
  };
}

const notFound = (): SnsHttpResponse => ({ status: 404, headers: { 'content-type': 'text/plain' }, body: 'Not Found' });

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}
