import { gunzip } from 'node:zlib';
import { promisify } from 'node:util';
import type { Clock } from '../lib/clock.ts';
import type { Logger } from '../lib/logger.ts';
import { inPartitionOf } from '../lib/arn.ts';
import { requestId as newRequestId } from '../lib/ids.ts';
import type { AuditSink } from './audit.ts';
import { ServiceError, isServiceError, isTemporarilyUnavailable, isUnstorableInput, unavailableError } from './errors.ts';
import { loadModel, loadQueryModel, findErrorShape, errorNamespace, type ServiceName } from './models/index.ts';
import type { ServiceModel } from './models/types.ts';
import { PROFILES, type Protocol } from './profiles.ts';
import { route, queryServiceForVersion, type Route } from './router.ts';
import type { Ctx, Handler } from './service.ts';
import { AuthFailure, authError, credentialScope, verifySigV4, type Credential, type VerifiedIdentity } from './sigv4.ts';
import { inputError, notImplemented } from './operation-input.ts';
import { isServedSigningName, unservedServiceResponse } from './unserved.ts';
import { decodeJson, encodeJson } from './json-codec.ts';
import { decodeRestJsonInput, encodeRestJsonOutput, parseJsonObject, restJsonErrorBody } from './rest-json-codec.ts';
import { decodeCbor, encodeCbor, encodeCborError } from './cbor-codec.ts';
import { decodeQuery, encodeQueryResponse, encodeQueryError } from './query-codec.ts';
import { encodeEventStream, eventStreamMember, initialResponseFrame } from './event-stream.ts';

const gunzipAsync = promisify(gunzip);

export interface RawRequest {
  method: string;
  path: string;
  rawQuery: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  remoteAddress: string;
}

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer | string;
  /** Event-stream operations: frames to write as they come, after the headers. */
  stream?: AsyncIterable<Buffer>;
}

export interface EngineOptions {
  handlers: Partial<Record<ServiceName, Record<string, Handler>>>;
  credentials: (accessKeyId: string) => Credential | undefined;
  clock: Clock;
  log: Logger;
  audit: AuditSink;
  maxBodyBytes: number;
  maxSkewMs: number;
}

const JSON_CONTENT_TYPE: Record<string, string> = { '1.0': 'application/x-amz-json-1.0', '1.1': 'application/x-amz-json-1.1' };

/** What the audit record of one request is built from, besides the request itself. */
interface AuditFacts {
  requestId: string;
  scope: ReturnType<typeof credentialScope>;
  status: number;
  error: ServiceError | undefined;
  started: number;
  input?: unknown;
  output?: unknown;
}

/** A request that has been placed: which service/operation/protocol, and who is calling. */
interface Call {
  route: Route & { operation: string };
  model: ServiceModel;
  ctx: Ctx;
}

/**
 * The wire layer: identifies the AWS service and operation, verifies SigV4, decodes and validates the
 * input against the AWS model, runs the handler and encodes the output or error for the protocol the
 * client spoke. Services only supply handlers.
 */
export class ProtocolEngine {
  constructor(private readonly opts: EngineOptions) {}

  /** undefined = not an AWS API request (the caller may serve something else, e.g. the console). */
  async handle(req: RawRequest): Promise<RawResponse | undefined> {
    const started = Date.now();
    const requestId = newRequestId();
    const scope = credentialScope(req);
    // Signed for a service Osprey does not serve (s3, dynamodb, sts…): say so rather than route it.
    if (scope && !isServedSigningName(scope.service)) return unservedServiceResponse(req, scope.service, requestId);
    let r: Route | undefined;
    let call: Call | undefined;
    let status = 200;
    let error: ServiceError | undefined;
    let io: { input?: unknown; output?: unknown } = {};
    try {
      r = route({ method: req.method, path: req.path, rawQuery: req.rawQuery, headers: req.headers, signingService: scope?.service });
      if (!r) return undefined;
      const identity = this.authenticate(req, r);
      const body = req.headers['content-encoding'] === undefined ? req.body : await this.inflate(req);
      const { service, operation, input } = this.decode(r, body, req);
      const model = r.protocol === 'query' ? loadQueryModel(service) : loadModel(service);
      const parentLog = this.opts.log;
      let log: Logger | undefined;
      call = {
        route: { service, protocol: r.protocol, operation },
        model,
        ctx: {
          account: identity.accountId,
          region: identity.region,
          // A key's principal (configured once, `arn:aws:iam::…` by default) in its region's partition.
          principalArn: inPartitionOf(identity.principalArn, identity.region),
          accessKeyId: identity.accessKeyId,
          requestId,
          requestBytes: req.body.length,
          clock: this.opts.clock,
          // Made on first use: most calls never log, and a pino child per call showed in profiles.
          get log() {
            return (log ??= parentLog.child({ requestId, op: `${service}.${operation}` }));
          },
        },
      };
      io = { input };
      const output = await this.invoke(call, input);
      io = { input, output };
      return this.encodeOutput(call, output, requestId);
    } catch (e) {
      error = this.toServiceError(e, r);
      const res = this.encodeError(error, r?.protocol ?? guessProtocol(req), call?.route.service ?? r?.service, requestId);
      status = res.status;
      return res;
    } finally {
      // Awaited: the sink makes the record durable before the call is answered (CloudTrail).
      const recorded = r ? this.audit(req, r, call, { requestId, scope, status, error, started, ...io }) : undefined;
      if (recorded) await recorded;
    }
  }

  /**
   * Verifies a request's SigV4 signature against the configured keys, for HTTP endpoints outside
   * the AWS protocols that AWS also signs (OTLP). Throws AuthFailure.
   */
  verifySigned(req: RawRequest): VerifiedIdentity {
    return verifySigV4(req, this.opts.credentials, { now: new Date(this.opts.clock.now()), maxSkewMs: this.opts.maxSkewMs });
  }

  /** Encodes an error for a request that never reached handle() (e.g. its body was too large). */
  reject(req: RawRequest, e: ServiceError): RawResponse {
    let r: Route | undefined;
    try {
      r = route({ method: req.method, path: req.path, rawQuery: req.rawQuery, headers: req.headers, signingService: credentialScope(req)?.service });
    } catch {
      r = undefined;
    }
    return this.encodeError(e, r?.protocol ?? guessProtocol(req), r?.service, newRequestId());
  }

  private authenticate(req: RawRequest, r: Route) {
    try {
      return verifySigV4(req, this.opts.credentials, { now: new Date(this.opts.clock.now()), maxSkewMs: this.opts.maxSkewMs });
    } catch (e) {
      if (e instanceof AuthFailure) {
        const err = authError(e, r.protocol === 'query' ? 'query' : r.protocol === 'rest-json' ? 'rest' : 'json');
        if (r.protocol === 'query' || r.protocol === 'rest-json') throw err;
        // awsQueryCompatible clients read the Query code from x-amzn-query-error.
        throw new ServiceError(err.code, err.message, { status: err.status, queryCode: authError(e, 'query').code });
      }
      throw e;
    }
  }

  /** gzip bodies are hashed compressed (SigV4 above) and inflated only now, with a size cap. */
  private async inflate(req: RawRequest): Promise<Buffer> {
    const enc = String(req.headers['content-encoding'] ?? '').toLowerCase().trim();
    if (enc === '' || enc === 'identity') return req.body;
    if (enc !== 'gzip') throw new ServiceError('UnsupportedContentEncoding', `Content-Encoding ${enc} is not supported; use gzip or none`, { status: 415 });
    try {
      return await gunzipAsync(req.body, { maxOutputLength: this.opts.maxBodyBytes });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
        throw new ServiceError('RequestEntityTooLarge', `Request body exceeds ${this.opts.maxBodyBytes} bytes after decompression`, { status: 413 });
      }
      throw new ServiceError('SerializationException', 'Request body is not valid gzip data');
    }
  }

  private decode(r: Route, body: Buffer, req: RawRequest): { service: ServiceName; operation: string; input: unknown } {
    if (r.protocol === 'query') return this.decodeQueryRequest(r, body);
    const model = loadModel(r.service);
    const op = model.operations[r.operation!];
    if (!op) throw unknownOperation(r.service, r.protocol, r.operation!);
    const shape = op.input?.shape;
    let input: unknown;
    if (r.protocol === 'cbor') {
      input = body.length > 0 && shape ? decodeCbor(model, shape, body) : {};
    } else if (r.protocol === 'rest-json') {
      const parts = { labels: r.labels ?? {}, rawQuery: req.rawQuery, fixedQueryKeys: r.fixedQueryKeys, headers: req.headers, body };
      input = shape ? decodeRestJsonInput(model, shape, parts, PROFILES[r.service].invalid) : {};
    } else {
      refuseAmzCbor(req);
      const parsed = body.length > 0 ? parseJsonObject(body) : {};
      input = shape ? decodeJson(model, shape, parsed) : {};
    }
    return { service: r.service, operation: r.operation!, input };
  }

  private decodeQueryRequest(r: Route, body: Buffer): { service: ServiceName; operation: string; input: unknown } {
    const text = body.toString('utf8');
    if (/%(?![0-9a-fA-F]{2})/.test(text)) {
      throw new ServiceError('MalformedQueryString', 'The request body contains an invalid percent-encoding');
    }
    const params = new URLSearchParams(text);
    const service = queryServiceForVersion(params.get('Version')) ?? r.service;
    const action = params.get('Action');
    if (!action) throw new ServiceError('MissingAction', 'The request must contain the parameter Action', { status: 400 });
    const model = loadQueryModel(service);
    const op = model.operations[action];
    if (!op) throw unknownOperation(service, 'query', action, params.get('Version'));
    const input = op.input?.shape
      ? decodeQuery(model, op.input.shape, params, { malformedCode: PROFILES[service].malformedQueryCode ?? 'InvalidParameterValue' })
      : {};
    return { service, operation: action, input };
  }

  private async invoke(call: Call, input: unknown): Promise<unknown> {
    const { service, operation } = call.route;
    const refused = inputError(service, operation, input);
    if (refused) throw refused;
    const handler = this.opts.handlers[service]?.[operation];
    if (!handler) throw notImplemented(service, operation);
    return handler(call.ctx, input);
  }

  private encodeOutput(call: Call, output: unknown, requestId: string): RawResponse {
    const { service, operation, protocol } = call.route;
    const model = call.model;
    const outShape = model.operations[operation].output?.shape;
    const headers: Record<string, string> = { 'x-amzn-RequestId': requestId };
    switch (protocol) {
      case 'query':
        headers['Content-Type'] = 'text/xml';
        return { status: 200, headers, body: encodeQueryResponse(model, operation, output ?? undefined, requestId) };
      case 'cbor':
        headers['Content-Type'] = 'application/cbor';
        headers['smithy-protocol'] = 'rpc-v2-cbor';
        // 0xa0 is the empty CBOR map: what an operation without output answers.
        return { status: 200, headers, body: outShape ? encodeCbor(model, outShape, output ?? {}) : Buffer.from([0xa0]) };
      case 'json':
      case 'rest-json': {
        const streamMember = outShape ? eventStreamMember(model, outShape) : undefined;
        if (protocol === 'rest-json' && !streamMember) {
          const res = encodeRestJsonOutput(model, model.operations[operation], output);
          return { ...res, headers: { ...res.headers, ...headers } };
        }
        if (streamMember) {
          const events = (output as Record<string, unknown> | undefined)?.[streamMember.name] as AsyncIterable<Record<string, unknown>>;
          headers['Content-Type'] = 'application/vnd.amazon.eventstream';
          const initial = protocol === 'json' && outShape ? initialResponseFrame(model, outShape, output, JSON_CONTENT_TYPE[model.metadata.jsonVersion ?? '1.1']) : undefined;
          return { status: 200, headers, body: '', stream: encodeEventStream(model, streamMember.shape, events, initial) };
        }
        headers['Content-Type'] = JSON_CONTENT_TYPE[model.metadata.jsonVersion ?? '1.1'];
        const value = outShape ? encodeJson(model, outShape, output ?? {}) : {};
        return { status: 200, headers, body: JSON.stringify(value) };
      }
    }
    throw new Error(`unreachable protocol for ${service}`);
  }

  private toServiceError(e: unknown, r: Route | undefined): ServiceError {
    if (isServiceError(e)) return e;
    if (isTemporarilyUnavailable(e)) {
      this.opts.log.warn({ err: e.message, service: r?.service, operation: r?.operation }, 'request refused: temporarily unavailable');
      return unavailableError(e);
    }
    if (isUnstorableInput(e) && r) return PROFILES[r.service].invalid([{ path: 'request', value: null, constraint: e.message }]);
    this.opts.log.error({ err: e, service: r?.service, operation: r?.operation }, 'unhandled error');
    return new ServiceError('InternalFailure', 'The request processing has failed because of an unknown error, exception or failure.', { status: 500, sender: false });
  }

  private encodeError(e: ServiceError, protocol: Protocol, service: ServiceName | undefined, requestId: string): RawResponse {
    const model = service ? loadModel(service) : undefined;
    // The query view carries awsQuery error codes a JSON-only model may lack (SQS): for both protocols.
    const modeled = service ? findErrorShape(loadQueryModel(service), e.code) : undefined;
    const status = modeled?.status ?? e.status;
    const sender = modeled?.sender ?? e.sender;
    const queryCode = modeled?.awsQueryCode ?? e.queryCode ?? e.code;
    const typeName = modeled?.shapeName ?? e.code;
    const headers: Record<string, string> = { ...e.headers, 'x-amzn-RequestId': requestId };
    const fault = sender ? 'Sender' : 'Receiver';
    const queryCompatible = model?.metadata.awsQueryCompatible !== undefined;

    if (protocol === 'query') {
      headers['Content-Type'] = 'text/xml';
      const ns = (service ? loadQueryModel(service) : model)?.metadata.xmlNamespace ?? 'http://monitoring.amazonaws.com/doc/2010-08-01/';
      return { status, headers, body: encodeQueryError(ns, { code: queryCode, message: e.message, sender }, requestId) };
    }
    const qualified = model && modeled ? `${errorNamespace(model)}#${typeName}` : typeName;
    if (queryCompatible) headers['x-amzn-query-error'] = `${queryCode};${fault}`;
    if (protocol === 'cbor') {
      headers['Content-Type'] = 'application/cbor';
      headers['smithy-protocol'] = 'rpc-v2-cbor';
      return { status, headers, body: encodeCborError(qualified, e.message) };
    }
    if (protocol === 'rest-json') {
      headers['Content-Type'] = 'application/json';
      headers['x-amzn-ErrorType'] = typeName;
      return { status, headers, body: JSON.stringify(restJsonErrorBody(model, modeled?.shapeName, qualified, e.message, e.fields)) };
    }
    headers['Content-Type'] = JSON_CONTENT_TYPE[model?.metadata.jsonVersion ?? '1.1'];
    return { status, headers, body: JSON.stringify({ __type: qualified, message: e.message, ...e.fields }) };
  }

  /** A promise only when the sink returns one (a recorder awaiting durability): no extra turn otherwise. */
  private audit(req: RawRequest, r: Route, call: Call | undefined, a: AuditFacts): Promise<void> | undefined {
    const service = call?.route.service ?? r.service;
    const model = loadModel(service);
    // A refused signature still names a key: its account is where AWS records the failed call.
    const key = call ? undefined : a.scope?.accessKeyId ? this.opts.credentials(a.scope.accessKeyId) : undefined;
    try {
      const done = this.opts.audit.record({
        eventTime: a.started,
        requestId: a.requestId,
        service,
        eventSource: `${model.metadata.endpointPrefix}.amazonaws.com`,
        operation: call?.route.operation ?? r.operation ?? 'Unknown',
        account: call?.ctx.account ?? key?.accountId ?? '',
        region: call?.ctx.region ?? a.scope?.region ?? '',
        principalArn: call?.ctx.principalArn ?? (key ? inPartitionOf(key.principalArn, a.scope?.region ?? '') : ''),
        accessKeyId: call?.ctx.accessKeyId ?? a.scope?.accessKeyId ?? '',
        sourceIp: req.remoteAddress,
        userAgent: String(req.headers['user-agent'] ?? ''),
        host: String(req.headers.host ?? ''),
        consoleLogin: req.headers['x-osprey-console-login'] !== undefined,
        status: a.status,
        errorCode: a.error?.code,
        errorMessage: a.error?.message,
        durationMs: Date.now() - a.started,
        input: a.input,
        output: a.error ? undefined : a.output,
      });
      return done ? done.catch((err: unknown) => this.auditFailed(err, a.requestId)) : undefined;
    } catch (err) {
      this.auditFailed(err, a.requestId);
      return undefined;
    }
  }

  /** The call itself was served; a recording failure is the operator's problem, not the caller's. */
  private auditFailed(err: unknown, requestId: string): void {
    this.opts.log.error({ err, requestId }, 'failed to record the API call');
  }
}

function unknownOperation(service: ServiceName, protocol: Protocol, op: string, version?: string | null): ServiceError {
  if (protocol === 'query') {
    return new ServiceError('InvalidAction', `Could not find operation ${op} for version ${version ?? loadModel(service).metadata.apiVersion}`);
  }
  return new ServiceError('UnknownOperationException', `Unknown operation ${op}`, { status: protocol === 'rest-json' ? 404 : 400 });
}

/**
 * The AWS Java SDK and the KPL send Kinesis (and CloudWatch) awsJson requests as CBOR by default
 * (`application/x-amz-cbor-1.1`, a pre-Smithy encoding unlike rpc-v2-cbor). Osprey decodes JSON
 * only: say how to switch the client to JSON instead of failing on the body.
 */
function refuseAmzCbor(req: RawRequest): void {
  const ct = String(req.headers['content-type'] ?? '').toLowerCase();
  if (!ct.startsWith('application/x-amz-cbor')) return;
  throw new ServiceError('SerializationException',
    `Content-Type ${ct} (CBOR) is not supported by this endpoint; send JSON (application/x-amz-json-1.1). ` +
    'AWS Java SDK / KPL / KCL: disable CBOR with the environment variable AWS_CBOR_DISABLE=1 or the system property -Dcom.amazonaws.sdk.disableCbor=true.',
    { status: 400 });
}

/** For errors raised before routing succeeded: answer in the family the request looks like. */
function guessProtocol(req: RawRequest): Protocol {
  const ct = String(req.headers['content-type'] ?? '');
  if (ct.startsWith('application/x-www-form-urlencoded')) return 'query';
  if (ct.startsWith('application/cbor')) return 'cbor';
  if (req.headers['x-amz-target']) return 'json';
  return 'rest-json';
}
