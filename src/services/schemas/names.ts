/**
 * Names, ARNs and errors of the schema registry: the AWS-managed registries, ARN shapes as AWS
 * prints them, and the four error kinds the API answers with (status from the model's shapes).
 */
import { arn, type Scope } from '../../lib/arn.ts';
import { ServiceError } from '../../protocol/errors.ts';

/** Holds AWS's own event schemas; read-only for everyone. */
export const AWS_EVENTS_REGISTRY = 'aws.events';
/** Where schema discovery writes; exists in every account and Region. */
export const DISCOVERED_REGISTRY = 'discovered-schemas';
export const MANAGED_REGISTRIES = [AWS_EVENTS_REGISTRY, DISCOVERED_REGISTRY];

export const badRequest = (message: string) => new ServiceError('BadRequestException', message);
export const notFound = (message: string) => new ServiceError('NotFoundException', message);
export const conflict = (message: string) => new ServiceError('ConflictException', message);
export const forbidden = (message: string) => new ServiceError('ForbiddenException', message);

export const registryArn = (s: Scope, registry: string) => arn('schemas', s, `registry/${registry}`);
export const schemaArn = (s: Scope, registry: string, schema: string) => arn('schemas', s, `schema/${registry}/${schema}`);
export const discovererArn = (s: Scope, id: string) => arn('schemas', s, `discoverer/${id}`);

// Message forms follow AWS's ("ConflictException: Schema with name X already exists.").
export const registryNotFound = (name: string) => notFound(`Registry with name ${name} does not exist.`);
export const schemaNotFound = (name: string) => notFound(`Schema with name ${name} does not exist.`);
export const discovererNotFound = (id: string) => notFound(`Discoverer with id ${id} does not exist.`);

/** Registry names as AWS accepts them (Schemas API reference, CreateRegistry: max 64). */
const REGISTRY_NAME = /^[.\-_A-Za-z0-9]{1,64}$/;
/**
 * Schema names: 1 to 385 characters (CreateSchema). Lenient on the characters (AWS's own names carry
 * `@` and `.`), but no `/`, which would make the schema ARN ambiguous, and no whitespace.
 */
const SCHEMA_NAME = /^[^/\s]{1,385}$/u;

export function checkRegistryName(name: string): void {
  if (!REGISTRY_NAME.test(name)) {
    throw badRequest(`Invalid registry name '${name}': a registry name is 1 to 64 characters of letters, numbers, '.', '-' and '_'.`);
  }
}

export function checkSchemaName(name: string): void {
  if (!SCHEMA_NAME.test(name)) {
    throw badRequest(`Invalid schema name '${name}': a schema name is 1 to 385 characters without '/' or whitespace.`);
  }
}

/** `"3"` → 3; anything else is not a version AWS could have made. */
export function parseVersion(v: string): number {
  if (!/^[1-9]\d{0,9}$/.test(v)) throw badRequest(`Invalid schema version '${v}': a schema version is a positive integer.`);
  return Number(v);
}

/** What a schema or discoverer ARN in TagResource names, in this scope. */
export type ArnTarget =
  | { kind: 'registry'; registry: string }
  | { kind: 'schema'; registry: string; schema: string }
  | { kind: 'discoverer'; id: string };

export function parseResourceArn(s: Scope, resourceArn: string): ArnTarget | undefined {
  const prefix = arn('schemas', s, '');
  if (!resourceArn.startsWith(prefix)) return undefined;
  const [kind, ...rest] = resourceArn.slice(prefix.length).split('/');
  if (kind === 'registry' && rest.length === 1) return { kind, registry: rest[0]! };
  if (kind === 'schema' && rest.length === 2) return { kind, registry: rest[0]!, schema: rest[1]! };
  if (kind === 'discoverer' && rest.length === 1) return { kind, id: rest[0]! };
  return undefined;
}
