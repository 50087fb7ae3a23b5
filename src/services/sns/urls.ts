/**
 * The URLs SNS messages carry (SigningCertURL, SubscribeURL, UnsubscribeURL) and the unauthenticated
 * HTTP paths that answer them, all under one prefix the server routes to handleSnsHttp.
 *
 * - `/_osprey/sns/SimpleNotificationService-<fingerprint>.pem`  the signing certificate
 * - `/_osprey/sns/?Action=ConfirmSubscription&TopicArn=…&Token=…` SubscribeURL (XML answer, like AWS)
 * - `/_osprey/sns/?Action=Unsubscribe&SubscriptionArn=…`          UnsubscribeURL (XML answer)
 * - `/_osprey/sns/confirmation.html?TopicArn=…&Token=…&Endpoint=…` the link in confirmation emails (HTML)
 * - `/_osprey/sns/unsubscribe.html?SubscriptionArn=…&Endpoint=…`   the link in notification emails (HTML)
 */
export const SNS_HTTP_PREFIX = '/_osprey/sns/';

export interface SnsUrls {
  certPath(): string;
  certUrl(): string;
  subscribeUrl(topicArn: string, token: string): string;
  unsubscribeUrl(subscriptionArn: string): string;
  emailConfirmUrl(topicArn: string, token: string, endpoint: string): string;
  emailUnsubscribeUrl(subscriptionArn: string, endpoint: string): string;
}

export function snsUrls(publicUrl: () => string, fingerprint: string): SnsUrls {
  const base = () => publicUrl().replace(/\/+$/, '');
  const q = (params: Record<string, string>) => new URLSearchParams(params).toString();
  const certPath = () => `${SNS_HTTP_PREFIX}SimpleNotificationService-${fingerprint}.pem`;
  return {
    certPath,
    certUrl: () => `${base()}${certPath()}`,
    subscribeUrl: (topicArn, token) => `${base()}${SNS_HTTP_PREFIX}?${q({ Action: 'ConfirmSubscription', TopicArn: topicArn, Token: token })}`,
    unsubscribeUrl: (arn) => `${base()}${SNS_HTTP_PREFIX}?${q({ Action: 'Unsubscribe', SubscriptionArn: arn })}`,
    emailConfirmUrl: (topicArn, token, endpoint) =>
      `${base()}${SNS_HTTP_PREFIX}confirmation.html?${q({ TopicArn: topicArn, Token: token, Endpoint: endpoint })}`,
    emailUnsubscribeUrl: (arn, endpoint) => `${base()}${SNS_HTTP_PREFIX}unsubscribe.html?${q({ SubscriptionArn: arn, Endpoint: endpoint })}`,
  };
}
