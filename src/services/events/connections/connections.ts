/**
 * Connections: Create/Describe/Update/Delete/List/DeauthorizeConnection. Basic and API key
 * connections are AUTHORIZED at once (there is nothing to exchange); OAuth ones stay AUTHORIZING
 * until the first invocation fetches a token (then AUTHORIZED), as AWS shows them while its token
 * request is under way. Secrets are sealed and never leave through these operations.
 */
import type { Connection } from '@aws-sdk/client-eventbridge';
import { ServiceError } from '../../../protocol/errors.ts';
import type { Ctx } from '../../../protocol/service.ts';
import { validation } from '../names.ts';
import { afterToken, pageOf } from '../paging.ts';
import type { In, Out } from '../types.ts';
import { checkAuth, mergeAuth, openAuth, publicAuth, sealAuth, type AuthType } from './auth.ts';
import { connectionArn, connectionNotFound, LIMITS, MAX_LIST_LIMIT, secretArn, tooMany, type ConnectionsContext } from './context.ts';
import type { ConnectionPatch, ConnectionRecord } from './repo.ts';

const initialState = (type: AuthType) => (type === 'OAUTH_CLIENT_CREDENTIALS' ? 'AUTHORIZING' : 'AUTHORIZED');
const date = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms));

function noPrivateEndpoint(input: { InvocationConnectivityParameters?: unknown }): void {
  if (input.InvocationConnectivityParameters !== undefined) {
    throw validation('Parameter InvocationConnectivityParameters is not valid. Reason: Osprey does not reach private endpoints through VPC Lattice resource configurations.');
  }
}

async function load(c: ConnectionsContext, ctx: Ctx, name: string): Promise<ConnectionRecord> {
  const conn = await c.repo.getConnection(ctx, name);
  if (!conn) throw connectionNotFound(name);
  return conn;
}

/** The state summary Create/Update/Delete/DeauthorizeConnection answer with. */
const summary = (conn: ConnectionRecord, state = conn.state) => ({
  ConnectionArn: conn.arn, ConnectionState: state as Connection['ConnectionState'],
  CreationTime: date(conn.createdAt), LastModifiedTime: date(conn.modifiedAt), LastAuthorizedTime: date(conn.authorizedAt),
});

export async function createConnection(c: ConnectionsContext, ctx: Ctx, input: In<'CreateConnection'>): Promise<Out<'CreateConnection'>> {
  const name = input.Name!;
  const type = input.AuthorizationType! as AuthType;
  noPrivateEndpoint(input);
  checkAuth(type, input.AuthParameters!);
  if (await c.repo.getConnection(ctx, name)) throw new ServiceError('ResourceAlreadyExistsException', `Connection ${name} already exists.`);
  if ((await c.repo.countConnections(ctx)) >= LIMITS.connections) throw tooMany();
  const now = c.clock.now();
  const arn = connectionArn(ctx, name);
  const conn: ConnectionRecord = {
    name, arn, secretArn: secretArn(ctx, name), description: input.Description, authType: type, state: initialState(type),
    publicAuth: publicAuth(input.AuthParameters!), sealedAuth: sealAuth(c.keys, arn, input.AuthParameters!), kmsKeyId: input.KmsKeyIdentifier,
    createdAt: now, modifiedAt: now, authorizedAt: now,
  };
  if (!(await c.repo.insertConnection(ctx, conn))) throw new ServiceError('ResourceAlreadyExistsException', `Connection ${name} already exists.`);
  return { ConnectionArn: arn, ConnectionState: conn.state as Connection['ConnectionState'], CreationTime: date(now), LastModifiedTime: date(now) };
}

export async function describeConnection(c: ConnectionsContext, ctx: Ctx, input: In<'DescribeConnection'>): Promise<Out<'DescribeConnection'>> {
  const conn = await load(c, ctx, input.Name!);
  return {
    ...summary(conn), Name: conn.name, Description: conn.description, StateReason: conn.stateReason,
    AuthorizationType: conn.authType as Connection['AuthorizationType'], SecretArn: conn.secretArn, KmsKeyIdentifier: conn.kmsKeyId,
    AuthParameters: conn.publicAuth,
  };
}

export async function listConnections(c: ConnectionsContext, ctx: Ctx, input: In<'ListConnections'>): Promise<Out<'ListConnections'>> {
  const limit = Math.min(input.Limit ?? MAX_LIST_LIMIT, MAX_LIST_LIMIT);
  const rows = await c.repo.listConnections(ctx, { prefix: input.NamePrefix, state: input.ConnectionState, after: afterToken(input.NextToken), limit: limit + 1 });
  const { items, token } = pageOf(rows, limit, (r) => r.name);
  const Connections: Connection[] = items.map((conn) => ({
    ...summary(conn), Name: conn.name, StateReason: conn.stateReason, AuthorizationType: conn.authType as Connection['AuthorizationType'],
  }));
  return { Connections, NextToken: token };
}

export async function updateConnection(c: ConnectionsContext, ctx: Ctx, input: In<'UpdateConnection'>): Promise<Out<'UpdateConnection'>> {
  const conn = await load(c, ctx, input.Name!);
  noPrivateEndpoint(input);
  const now = c.clock.now();
  const reauthorize = input.AuthorizationType !== undefined || input.AuthParameters !== undefined;
  const patch: ConnectionPatch = {
    modifiedAt: now,
    ...(input.Description !== undefined ? { description: input.Description } : {}),
    ...(input.KmsKeyIdentifier !== undefined ? { kmsKeyId: input.KmsKeyIdentifier } : {}),
  };
  if (reauthorize) {
    const type = (input.AuthorizationType ?? conn.authType) as AuthType;
    const merged = mergeAuth(conn.authType as AuthType, openAuth(c.keys, conn.arn, conn.sealedAuth), type, input.AuthParameters);
    checkAuth(type, merged);
    Object.assign(patch, {
      authType: type, publicAuth: publicAuth(merged), sealedAuth: sealAuth(c.keys, conn.arn, merged),
      state: initialState(type), stateReason: undefined, authorizedAt: now,
    });
    c.tokens.forgetConnection(conn.arn);
  }
  await c.repo.updateConnection(ctx, conn.name, patch);
  return summary(await load(c, ctx, conn.name));
}

export async function deleteConnection(c: ConnectionsContext, ctx: Ctx, input: In<'DeleteConnection'>): Promise<Out<'DeleteConnection'>> {
  const conn = await load(c, ctx, input.Name!);
  await c.repo.deleteConnection(ctx, conn.name);
  c.tokens.forgetConnection(conn.arn);
  // AWS deletes asynchronously and answers DELETING; here it is already gone.
  return summary(conn, 'DELETING');
}

/** The connection keeps its parameters but invocations fail until UpdateConnection authorizes it again. */
export async function deauthorizeConnection(c: ConnectionsContext, ctx: Ctx, input: In<'DeauthorizeConnection'>): Promise<Out<'DeauthorizeConnection'>> {
  const conn = await load(c, ctx, input.Name!);
  const now = c.clock.now();
  await c.repo.updateConnection(ctx, conn.name, { state: 'DEAUTHORIZED', stateReason: 'Connection was deauthorized by DeauthorizeConnection.', modifiedAt: now });
  c.tokens.forgetConnection(conn.arn);
  return summary({ ...conn, modifiedAt: now }, 'DEAUTHORIZING');
}
