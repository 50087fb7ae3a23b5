/**
 * A connection's AuthParameters: which member each AuthorizationType needs, how UpdateConnection
 * merges into what is stored, and the non-secret view DescribeConnection returns. AWS keeps the
 * secret half in Secrets Manager and never returns it (Password, ApiKeyValue, ClientSecret and
 * parameters marked IsValueSecret); Osprey seals the whole parameters with its key store instead.
 */
import type {
  ConnectionAuthResponseParameters, ConnectionHttpParameters, CreateConnectionAuthRequestParameters, UpdateConnectionAuthRequestParameters,
} from '@aws-sdk/client-eventbridge';
import type { KeyStore } from '../../../store/keys/key-store.ts';
import { validation } from '../names.ts';

export type AuthType = 'BASIC' | 'API_KEY' | 'OAUTH_CLIENT_CREDENTIALS';
export type AuthParams = CreateConnectionAuthRequestParameters;
type AuthMember = 'BasicAuthParameters' | 'ApiKeyAuthParameters' | 'OAuthParameters';

export const AUTH_MEMBER: Record<AuthType, AuthMember> = {
  BASIC: 'BasicAuthParameters', API_KEY: 'ApiKeyAuthParameters', OAUTH_CLIENT_CREDENTIALS: 'OAuthParameters',
};

/** What each member needs once create and update are merged (the model checks Create's alone). */
const REQUIRED: Record<AuthType, readonly string[]> = {
  BASIC: ['Username', 'Password'],
  API_KEY: ['ApiKeyName', 'ApiKeyValue'],
  OAUTH_CLIENT_CREDENTIALS: ['AuthorizationEndpoint', 'HttpMethod', 'ClientParameters.ClientID', 'ClientParameters.ClientSecret'],
};

const get = (o: unknown, path: string): unknown => path.split('.').reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), o);

/** Only the member of the connection's type, complete; private (VPC Lattice) endpoints are not reachable from Osprey. */
export function checkAuth(type: AuthType, p: AuthParams | UpdateConnectionAuthRequestParameters): void {
  const member = AUTH_MEMBER[type];
  for (const other of Object.values(AUTH_MEMBER)) {
    if (other !== member && p[other] !== undefined) {
      throw validation(`Parameter AuthParameters is not valid. Reason: ${other} cannot be used with AuthorizationType ${type}; use ${member}.`);
    }
  }
  if (p.ConnectivityParameters !== undefined) {
    throw validation('Parameter ConnectivityParameters is not valid. Reason: Osprey does not reach private endpoints through VPC Lattice resource configurations.');
  }
  const given = p[member];
  if (given === undefined) throw validation(`Parameter AuthParameters is not valid. Reason: ${member} must be specified for AuthorizationType ${type}.`);
  const missing = REQUIRED[type].filter((path) => get(given, path) === undefined || get(given, path) === '');
  if (missing.length > 0) {
    throw validation(`Parameter ${member} is not valid. Reason: ${missing.join(', ')} must be specified for AuthorizationType ${type}.`);
  }
  if (type === 'OAUTH_CLIENT_CREDENTIALS') checkEndpoint('AuthorizationEndpoint', String(get(given, 'AuthorizationEndpoint')));
}

/** Osprey also allows http:// (AWS requires https) so local services can be targets. */
export function checkEndpoint(member: string, url: string): void {
  let u: URL | undefined;
  try {
    u = new URL(url.replaceAll('*', 'x'));
  } catch {
    u = undefined;
  }
  if (!u || (u.protocol !== 'https:' && u.protocol !== 'http:')) {
    throw validation(`Parameter ${member} is not valid. Reason: ${url} is not an http or https URL.`);
  }
}

/**
 * UpdateConnection: members given replace those stored, field by field (so a new ApiKeyValue keeps
 * the ApiKeyName); a new AuthorizationType starts its member afresh.
 */
export function mergeAuth(oldType: AuthType, old: AuthParams, newType: AuthType, patch: UpdateConnectionAuthRequestParameters | undefined): AuthParams {
  const member = AUTH_MEMBER[newType];
  const base = (newType === oldType ? old[member] : undefined) as Record<string, unknown> | undefined;
  const given = patch?.[member] as Record<string, unknown> | undefined;
  const merged: Record<string, unknown> = { ...base, ...given };
  if (newType === 'OAUTH_CLIENT_CREDENTIALS' && base?.ClientParameters && given?.ClientParameters) {
    merged.ClientParameters = { ...(base.ClientParameters as object), ...(given.ClientParameters as object) };
  }
  const http = patch?.InvocationHttpParameters ?? old.InvocationHttpParameters;
  return { ...(Object.keys(merged).length > 0 ? { [member]: merged } : {}), ...(http !== undefined ? { InvocationHttpParameters: http } : {}) };
}

/** Parameters marked IsValueSecret keep their key but not their value. */
export function publicHttp(h: ConnectionHttpParameters): ConnectionHttpParameters {
  const hide = <T extends { Value?: string; IsValueSecret?: boolean }>(list: T[] | undefined): T[] | undefined =>
    list?.map((x) => (x.IsValueSecret ? ({ ...x, Value: undefined } as T) : x));
  const out: ConnectionHttpParameters = {};
  if (h.HeaderParameters) out.HeaderParameters = hide(h.HeaderParameters);
  if (h.QueryStringParameters) out.QueryStringParameters = hide(h.QueryStringParameters);
  if (h.BodyParameters) out.BodyParameters = hide(h.BodyParameters);
  return out;
}

/** DescribeConnection's AuthParameters: no Password, ApiKeyValue, ClientSecret or secret parameter values. */
export function publicAuth(p: AuthParams): ConnectionAuthResponseParameters {
  const out: ConnectionAuthResponseParameters = {};
  if (p.BasicAuthParameters) out.BasicAuthParameters = { Username: p.BasicAuthParameters.Username };
  if (p.ApiKeyAuthParameters) out.ApiKeyAuthParameters = { ApiKeyName: p.ApiKeyAuthParameters.ApiKeyName };
  if (p.OAuthParameters) {
    const o = p.OAuthParameters;
    out.OAuthParameters = {
      ClientParameters: { ClientID: o.ClientParameters?.ClientID }, AuthorizationEndpoint: o.AuthorizationEndpoint, HttpMethod: o.HttpMethod,
      ...(o.OAuthHttpParameters ? { OAuthHttpParameters: publicHttp(o.OAuthHttpParameters) } : {}),
    };
  }
  if (p.InvocationHttpParameters) out.InvocationHttpParameters = publicHttp(p.InvocationHttpParameters);
  return out;
}

/** Sealed under the connection ARN: a sealed value copied to another connection does not open. */
export const sealAuth = (keys: KeyStore, connectionArn: string, p: AuthParams) => keys.seal(connectionArn, JSON.stringify(p));
export const openAuth = (keys: KeyStore, connectionArn: string, sealed: string) => JSON.parse(keys.open(connectionArn, sealed)) as AuthParams;
