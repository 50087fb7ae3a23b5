/**
 * Types for the AWS service models as botocore stores them (`service-2.json`, docs stripped).
 * Only what the protocol layer reads is typed precisely; the rest is kept as optional fields so a
 * newer model with extra traits still loads.
 */

export interface ServiceModel {
  version?: string;
  metadata: ServiceMetadata;
  operations: Record<string, OperationModel>;
  shapes: Record<string, Shape>;
}

export type ProtocolName = 'query' | 'json' | 'rest-json' | 'rest-xml' | 'ec2' | 'smithy-rpc-v2-cbor';

export interface ServiceMetadata {
  apiVersion: string;
  endpointPrefix: string;
  protocol: ProtocolName;
  /** All protocols the service speaks, best first (newer models). */
  protocols?: ProtocolName[];
  serviceId: string;
  serviceFullName?: string;
  serviceAbbreviation?: string;
  signatureVersion?: string;
  signingName?: string;
  uid?: string;
  /** awsJson: "1.0" | "1.1". */
  jsonVersion?: string;
  /** awsJson / CBOR: the `X-Amz-Target` prefix. */
  targetPrefix?: string;
  /** awsQuery: the xmlns of every response document. */
  xmlNamespace?: string;
  /** Present (as `{}`) when a JSON/CBOR service must also report awsQuery error codes. */
  awsQueryCompatible?: Record<string, never>;
  auth?: string[];
}

export interface HttpBinding {
  method: string;
  requestUri: string;
  responseCode?: number;
}

/** The `error` trait on exception shapes: `code` is the awsQuery error code. */
export interface ErrorTrait {
  code?: string;
  httpStatusCode?: number;
  senderFault?: boolean;
}

export type TimestampFormat = 'iso8601' | 'unixTimestamp' | 'rfc822';

export interface XmlNamespaceTrait {
  uri: string;
  prefix?: string;
}

/**
 * A reference to a shape from an operation, a structure member, or a list/map element, together with
 * the serialisation traits that botocore allows on the reference (they override the target shape's).
 */
export interface ShapeRef {
  shape: string;
  /** Wire name: XML element / query key / JSON key, or the header/query name with `location`. */
  locationName?: string;
  /** awsQuery/XML: the list or map has no wrapper element (`Name.N` / repeated elements). */
  flattened?: boolean;
  xmlNamespace?: XmlNamespaceTrait;
  xmlAttribute?: boolean;
  timestampFormat?: TimestampFormat;
  /** restJson/restXml HTTP bindings; absent = body. */
  location?: 'header' | 'headers' | 'querystring' | 'uri' | 'statusCode';
  /** ec2 protocol name override. */
  queryName?: string;
  jsonvalue?: boolean;
  idempotencyToken?: boolean;
  hostLabel?: boolean;
  box?: boolean;
  deprecated?: boolean;
  deprecatedMessage?: string;
  contextParam?: { name: string };
  eventpayload?: boolean;
}

export interface OperationModel {
  name: string;
  http: HttpBinding;
  input?: ShapeRef;
  /** awsQuery: `resultWrapper` names the `<OpResult>` element. */
  output?: ShapeRef & { resultWrapper?: string };
  errors?: ShapeRef[];
  endpoint?: { hostPrefix?: string };
  requestcompression?: { encodings: string[] };
  idempotent?: boolean;
  deprecated?: boolean;
  deprecatedMessage?: string;
}

/** Traits any shape may carry. */
interface ShapeBase {
  /** Shape-level serialisation name and flattening (botocore merges them with the reference's). */
  locationName?: string;
  flattened?: boolean;
  xmlNamespace?: XmlNamespaceTrait;
  sensitive?: boolean;
  deprecated?: boolean;
  deprecatedMessage?: string;
}

export interface StringShape extends ShapeBase {
  type: 'string';
  /** Length bounds (botocore `min`/`max` on strings count characters). */
  min?: number;
  max?: number;
  /** A Java regular expression. */
  pattern?: string;
  enum?: string[];
}

export interface BlobShape extends ShapeBase {
  type: 'blob';
  min?: number;
  max?: number;
  streaming?: boolean;
  eventpayload?: boolean;
}

export interface BooleanShape extends ShapeBase {
  type: 'boolean';
}

export type IntegralType = 'integer' | 'long' | 'short' | 'byte';
export type FloatingType = 'double' | 'float';

export interface NumberShape extends ShapeBase {
  type: IntegralType | FloatingType | 'bigdecimal' | 'biginteger';
  /** Value range (inclusive). */
  min?: number;
  max?: number;
  box?: boolean;
}

export interface TimestampShape extends ShapeBase {
  type: 'timestamp';
  timestampFormat?: TimestampFormat;
}

export interface StructureShape extends ShapeBase {
  type: 'structure';
  members: Record<string, ShapeRef>;
  required?: string[];
  /** Old awsQuery models: the member order of the XML documents AWS returns. */
  xmlOrder?: string[];
  /** Exactly one member is set. */
  union?: boolean;
  /** A Smithy document (free-form JSON value). */
  document?: boolean;
  exception?: boolean;
  fault?: boolean;
  error?: ErrorTrait;
  synthetic?: boolean;
  /** restJson: the member that is the whole HTTP body. */
  payload?: string;
  event?: boolean;
  eventstream?: boolean;
}

export interface ListShape extends ShapeBase {
  type: 'list';
  member: ShapeRef;
  /** Element count bounds. */
  min?: number;
  max?: number;
}

export interface MapShape extends ShapeBase {
  type: 'map';
  key: ShapeRef;
  value: ShapeRef;
  /** Entry count bounds. */
  min?: number;
  max?: number;
}

export type Shape =
  | StringShape
  | BlobShape
  | BooleanShape
  | NumberShape
  | TimestampShape
  | StructureShape
  | ListShape
  | MapShape;

export type ShapeType = Shape['type'];
