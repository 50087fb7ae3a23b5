/** GetParameter, GetParameters, DeleteParameter, DeleteParameters. */
import type { Parameter } from '@aws-sdk/client-ssm';
import { ServiceError } from '../../protocol/errors.ts';
import type { Ctx } from '../../protocol/service.ts';
import type { SsmDeps } from './deps.ts';
import { parameterArn, parseSelector, type Selector } from './names.ts';
import type { ParameterVersion } from './repo.ts';
import { readValue } from './values.ts';
import type { CallInput, CallOutput } from '../../protocol/operations.ts';

const notFound = (name: string) => new ServiceError('ParameterNotFound', `Parameter ${name} not found.`);

/** The version a selector names, or a ServiceError saying why there is none. */
async function resolve(deps: SsmDeps, ctx: Ctx, sel: Selector): Promise<ParameterVersion> {
  if (sel.version !== undefined) {
    const v = await deps.repo.version(ctx, sel.name, sel.version);
    if (v) return v;
    if (!(await deps.repo.latest(ctx, sel.name))) throw notFound(sel.name);
    throw new ServiceError('ParameterVersionNotFound', `Systems Manager could not find version ${sel.version} of ${sel.name}. Verify the version and try again.`);
  }
  if (sel.label !== undefined) {
    const v = (await deps.repo.history(ctx, sel.name)).find((h) => h.labels.includes(sel.label!));
    if (v) return v;
    throw notFound(`${sel.name}:${sel.label}`);
  }
  const v = await deps.repo.latest(ctx, sel.name);
  if (!v) throw notFound(sel.name);
  return v;
}

export function toParameter(deps: SsmDeps, ctx: Ctx, v: ParameterVersion, withDecryption: boolean | undefined, selector?: string): Parameter {
  return {
    Name: v.name, Type: v.type as Parameter['Type'], Value: readValue(deps, v, withDecryption), Version: v.version,
    ...(selector ? { Selector: selector } : {}),
    LastModifiedDate: new Date(v.modifiedAt), ARN: parameterArn(ctx, v.name), DataType: v.dataType,
  };
}

export async function getParameter(deps: SsmDeps, ctx: Ctx, input: CallInput<'ssm', 'GetParameter'>): Promise<CallOutput<'ssm', 'GetParameter'>> {
  const sel = parseSelector(ctx, input.Name!);
  const v = await resolve(deps, ctx, sel);
  return { Parameter: toParameter(deps, ctx, v, input.WithDecryption, sel.raw) };
}

export async function getParameters(deps: SsmDeps, ctx: Ctx, input: CallInput<'ssm', 'GetParameters'>): Promise<CallOutput<'ssm', 'GetParameters'>> {
  const found: Parameter[] = [];
  const invalid: string[] = [];
  for (const ref of new Set(input.Names ?? [])) {
    try {
      const sel = parseSelector(ctx, ref);
      found.push(toParameter(deps, ctx, await resolve(deps, ctx, sel), input.WithDecryption, sel.raw));
    } catch (e) {
      if (!(e instanceof ServiceError)) throw e;
      invalid.push(ref);
    }
  }
  return { Parameters: found, InvalidParameters: invalid };
}

export async function deleteParameter(deps: SsmDeps, ctx: Ctx, input: CallInput<'ssm', 'DeleteParameter'>): Promise<CallOutput<'ssm', 'DeleteParameter'>> {
  const name = parseSelector(ctx, input.Name!).name;
  if (!(await deps.repo.remove(ctx, name))) throw notFound(name);
  return {};
}

export async function deleteParameters(deps: SsmDeps, ctx: Ctx, input: CallInput<'ssm', 'DeleteParameters'>): Promise<CallOutput<'ssm', 'DeleteParameters'>> {
  const deleted: string[] = [];
  const invalid: string[] = [];
  for (const name of new Set(input.Names ?? [])) {
    if (await deps.repo.remove(ctx, name)) deleted.push(name);
    else invalid.push(name);
  }
  return { DeletedParameters: deleted, InvalidParameters: invalid };
}
