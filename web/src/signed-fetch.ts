// GET requests to Osprey's own HTTP routes (outside the AWS APIs, e.g. Synthetics run artifacts)
// signed with SigV4 exactly as the SDK clients sign: the server verifies them with the same code
// and takes the account and region from the credential scope, so an artifact is only served to the
// keys that may read it. Loaded with the pages that need it, not with the console shell.
import { Sha256 } from '@aws-crypto/sha256-browser';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import type { ClientConfig } from './aws.ts';

/** `path` is a list of raw segments; each is percent-encoded once, as the signer expects. */
export async function signedGet(config: ClientConfig, service: string, path: string[], query: Record<string, string> = {}): Promise<Response> {
  const url = new URL(config.endpoint);
  const encodedPath = `/${path.map(encodeURIComponent).join('/')}`;
  const signer = new SignatureV4({ service, region: config.region, credentials: config.credentials, sha256: Sha256 });
  const request = new HttpRequest({
    method: 'GET',
    protocol: url.protocol,
    hostname: url.hostname,
    port: url.port ? Number(url.port) : undefined,
    path: encodedPath,
    query,
    // The browser sends Host itself (it may not be set from script), with this same value.
    headers: { host: url.host },
  });
  const signed = await signer.sign(request);
  const { host: _host, ...headers } = signed.headers;
  const qs = new URLSearchParams(query).toString();
  const res = await fetch(`${url.origin}${encodedPath}${qs ? `?${qs}` : ''}`, { headers });
  if (!res.ok) throw await routeError(res);
  return res;
}

/** An error with the AWS-style code and message the route answered, for ErrorBox. */
async function routeError(res: Response): Promise<Error> {
  const text = await res.text();
  let code = `HTTP ${res.status}`;
  let message = text || res.statusText;
  try {
    const body = JSON.parse(text) as { __type?: string; code?: string; message?: string; Message?: string };
    code = (body.__type ?? body.code ?? code).split('#').pop()!;
    message = body.message ?? body.Message ?? message;
  } catch {
    // not JSON: keep the text as it came
  }
  return Object.assign(new Error(message), { name: code });
}
