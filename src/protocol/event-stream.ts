import { EventStreamCodec } from '@smithy/eventstream-codec';
import type { MessageHeaders } from '@smithy/types';
import type { ServiceModel } from './models/types.ts';
import { getShape } from './models/index.ts';
import { encodeJson } from './json-codec.ts';

const codec = new EventStreamCodec(
  (b) => Buffer.from(b).toString('utf8'),
  (s) => Buffer.from(s, 'utf8'),
);

/** The output member that carries an event stream (`eventstream: true` on its union), if any. */
export function eventStreamMember(model: ServiceModel, outputShape: string): { name: string; shape: string } | undefined {
  const out = getShape(model, outputShape);
  if (out.type !== 'structure') return undefined;
  for (const [name, ref] of Object.entries(out.members)) {
    const s = getShape(model, ref.shape) as { eventstream?: boolean };
    if (s.eventstream) return { name, shape: ref.shape };
  }
  return undefined;
}

const str = (value: string) => ({ type: 'string' as const, value });

/**
 * The `initial-response` message of an RPC protocol (awsJson): the output's members other than the
 * stream, sent before any modeled event (Smithy streaming spec, "initial messages"). botocore's
 * JSON parser reads the first message as this and refuses the response without it ("First event
 * was not of type initial-response"); SDK v3 takes it as the initial output. REST protocols bind
 * those members to HTTP headers instead and send no such message.
 */
export function initialResponseFrame(model: ServiceModel, outputShape: string, output: unknown, contentType: string): Buffer {
  const { name } = eventStreamMember(model, outputShape) ?? {};
  const rest = { ...(output as Record<string, unknown> | undefined) };
  if (name !== undefined) delete rest[name];
  const body = Buffer.from(JSON.stringify(encodeJson(model, outputShape, rest)));
  const headers: MessageHeaders = { ':message-type': str('event'), ':event-type': str('initial-response'), ':content-type': str(contentType) };
  return Buffer.from(codec.encode({ headers, body }));
}

/**
 * Frames a handler's events as `application/vnd.amazon.eventstream` messages (the binary framing
 * with prelude and CRCs that the SDKs' event-stream readers parse). Each yielded object names one
 * member of the union: an event (`:message-type: event`) or a modeled exception, which ends the
 * stream (`:message-type: exception`). `initialResponse` (see initialResponseFrame) goes first.
 */
export async function* encodeEventStream(
  model: ServiceModel,
  unionShape: string,
  events: AsyncIterable<Record<string, unknown>>,
  initialResponse?: Buffer,
): AsyncGenerator<Buffer> {
  const union = getShape(model, unionShape);
  if (union.type !== 'structure') throw new Error(`${unionShape} is not an event stream union`);
  if (initialResponse) yield initialResponse;
  for await (const event of events) {
    const [name, value] = Object.entries(event)[0] ?? [];
    const ref = name !== undefined ? union.members[name] : undefined;
    if (!ref) throw new Error(`${unionShape} has no event ${String(name)}`);
    const shape = getShape(model, ref.shape) as { exception?: boolean };
    const body = Buffer.from(JSON.stringify(encodeJson(model, ref.shape, value ?? {})));
    const headers: MessageHeaders = shape.exception
      ? { ':message-type': str('exception'), ':exception-type': str(name), ':content-type': str('application/json') }
      : { ':message-type': str('event'), ':event-type': str(name), ':content-type': str('application/json') };
    yield Buffer.from(codec.encode({ headers, body }));
    if (shape.exception) return;
  }
}
