/**
 * ParameterFilters (and the legacy Filters) of DescribeParameters and GetParametersByPath: which keys
 * and options each operation takes, and matching a stored version against them.
 */
import type { ParametersFilter, ParameterStringFilter } from '@aws-sdk/client-ssm';
import { ServiceError } from '../../protocol/errors.ts';
import type { ParameterVersion } from './repo.ts';

export type Filter = { key: string; option: string; values: string[] };

const OPTIONS: Record<string, string[]> = {
  Name: ['Equals', 'BeginsWith', 'Contains'],
  Path: ['Recursive', 'OneLevel'],
  Type: ['Equals'],
  KeyId: ['Equals'],
  Tier: ['Equals'],
  DataType: ['Equals'],
  Label: ['Equals'],
};
const VALUES: Record<string, string[]> = {
  Type: ['String', 'StringList', 'SecureString'],
  Tier: ['Standard', 'Advanced', 'Intelligent-Tiering'],
  DataType: ['text', 'aws:ec2:image', 'aws:ssm:integration'],
};
export const DESCRIBE_KEYS = ['Name', 'Path', 'Type', 'KeyId', 'Tier', 'DataType'];
export const BY_PATH_KEYS = ['Type', 'KeyId', 'Label'];

const invalid = (code: string, what: string, got: string, valid: string[]) =>
  new ServiceError(code, `The following filter ${what} is not valid: ${got}. Valid ${what === 'key' ? 'filter keys' : what === 'option' ? 'options' : 'values'} include: [${valid.join(', ')}].`);

/** Validated filters; `tag:<key>` keys are allowed where `tags` is true (DescribeParameters). */
export function readFilters(list: ParameterStringFilter[] | undefined, keys: string[], tags: boolean): Filter[] {
  return (list ?? []).map((f) => {
    const key = f.Key ?? '';
    const isTag = tags && key.startsWith('tag:') && key.length > 4;
    if (!isTag && !keys.includes(key)) throw invalid('InvalidFilterKey', 'key', key, tags ? [...keys, 'tag:<key>'] : keys);
    const options = isTag ? ['Equals'] : OPTIONS[key]!;
    const option = f.Option ?? (key === 'Path' ? 'OneLevel' : 'Equals');
    if (!options.includes(option)) throw invalid('InvalidFilterOption', 'option', option, options);
    const values = f.Values ?? [];
    if (values.length === 0 && !isTag) throw new ServiceError('InvalidFilterValue', `The filter ${key} needs at least one value.`);
    for (const v of values) if (VALUES[key] && !VALUES[key].includes(v)) throw invalid('InvalidFilterValue', 'value', v, VALUES[key]);
    if (key === 'Path') for (const v of values) if (!v.startsWith('/')) throw invalid('InvalidFilterValue', 'value', v, ['a path beginning with /']);
    return { key, option, values };
  });
}

/** The legacy `Filters` member (Name, Type, KeyId; Equals only — Name means begins-with, as AWS reads it). */
export function readLegacyFilters(list: ParametersFilter[] | undefined): Filter[] {
  return (list ?? []).map((f) => {
    const key = f.Key ?? '';
    if (!['Name', 'Type', 'KeyId'].includes(key)) throw invalid('InvalidFilterKey', 'key', key, ['Name', 'Type', 'KeyId']);
    return { key, option: key === 'Name' ? 'BeginsWith' : 'Equals', values: f.Values ?? [] };
  });
}

/** Parent path of a hierarchical name ("/a/b/c" → "/a/b"); undefined for names outside any hierarchy. */
const parentOf = (name: string) => (name.startsWith('/') ? name.slice(0, name.lastIndexOf('/')) || '/' : undefined);

export function underPath(name: string, path: string, recursive: boolean): boolean {
  const base = path.endsWith('/') ? path : path + '/';
  if (!name.startsWith(base)) return false;
  return recursive || !name.slice(base.length).includes('/');
}

function matchOne(f: Filter, v: ParameterVersion, tags: Record<string, string>): boolean {
  if (f.key.startsWith('tag:')) {
    const t = tags[f.key.slice(4)];
    return t !== undefined && (f.values.length === 0 || f.values.includes(t));
  }
  switch (f.key) {
    case 'Name':
      return f.values.some((x) => {
        const n = v.name;
        const alt = x.startsWith('/') ? x.slice(1) : `/${x}`;
        if (f.option === 'Contains') return n.includes(x);
        if (f.option === 'BeginsWith') return n.startsWith(x) || n.startsWith(alt);
        return n === x || n === alt;
      });
    case 'Path':
      return parentOf(v.name) !== undefined && f.values.some((p) => underPath(v.name, p, f.option === 'Recursive'));
    case 'Type':
      return f.values.includes(v.type);
    case 'KeyId':
      return v.keyId !== undefined && f.values.includes(v.keyId);
    case 'Tier':
      return f.values.includes(v.tier);
    case 'DataType':
      return f.values.includes(v.dataType);
    case 'Label':
      return f.values.some((l) => v.labels.includes(l));
  }
  return false;
}

export const matchesAll = (filters: Filter[], v: ParameterVersion, tags: Record<string, string>) => filters.every((f) => matchOne(f, v, tags));
