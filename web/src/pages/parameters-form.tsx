// Create / edit a parameter: name, description, type (String / StringList / SecureString, with an
// optional KMS key), tier, value, allowed pattern and tags. Editing writes a new version
// (PutParameter with Overwrite, which takes no tags) and then applies the tag changes with
// AddTagsToResource / RemoveTagsFromResource.
import { useState, type FormEvent } from 'react';
import {
  AddTagsToResourceCommand, DescribeParametersCommand, GetParameterCommand, ListTagsForResourceCommand, PutParameterCommand,
  RemoveTagsFromResourceCommand, type ParameterTier, type ParameterType, type Tag,
} from '@aws-sdk/client-ssm';
import { useSession } from '../app-context.ts';
import { field } from '../form-action.ts';
import { navigate } from '../router.ts';
import { ErrorBox, Link, Loading, useAsync } from '../ui.tsx';
import { parameterLink } from './parameters-api.ts';
import { parseTags, tagChanges, tagsText } from '../tags.ts';

const TYPES: ParameterType[] = ['String', 'StringList', 'SecureString'];
const TIERS: ParameterTier[] = ['Standard', 'Advanced', 'Intelligent-Tiering'];

interface Existing {
  name: string; type: ParameterType; tier: string; value: string; description?: string; allowedPattern?: string; keyId?: string; tags: Tag[];
}

export function ParameterForm({ name, path }: { name?: string; path: string }) {
  const c = useSession();
  const existing = useAsync(async (): Promise<Existing | undefined> => {
    if (!name) return undefined;
    const [value, meta, tags] = await Promise.all([
      c.ssm.send(new GetParameterCommand({ Name: name, WithDecryption: true })),
      c.ssm.send(new DescribeParametersCommand({ ParameterFilters: [{ Key: 'Name', Option: 'Equals', Values: [name] }] })),
      c.ssm.send(new ListTagsForResourceCommand({ ResourceType: 'Parameter', ResourceId: name })),
    ]);
    const m = meta.Parameters?.find((p) => p.Name === name);
    return {
      name, type: value.Parameter?.Type ?? 'String', tier: m?.Tier ?? 'Standard', value: value.Parameter?.Value ?? '',
      description: m?.Description, allowedPattern: m?.AllowedPattern, keyId: m?.KeyId, tags: tags.TagList ?? [],
    };
  }, [name]);
  return (
    <div className="panel">
      <div className="toolbar">
        <Link to={name ? parameterLink({ p: name }) : parameterLink({ path: path || undefined })}>← {name ?? (path || 'Parameters')}</Link>
        <h3 style={{ margin: 0 }}>{name ? `Edit parameter ${name}` : 'Create parameter'}</h3>
      </div>
      {existing.error ? <ErrorBox error={existing.error} />
        : name && !existing.data ? <Loading what="Loading parameter" />
          : <ParameterFormBody existing={existing.data} path={path} />}
    </div>
  );
}

/** Applies the difference between the old and the new tags of an existing parameter. */
async function retag(c: ReturnType<typeof useSession>, name: string, before: Tag[], after: { Key: string; Value: string }[]): Promise<void> {
  const { removed, changed } = tagChanges(before, after);
  if (removed.length) await c.ssm.send(new RemoveTagsFromResourceCommand({ ResourceType: 'Parameter', ResourceId: name, TagKeys: removed }));
  if (changed.length) await c.ssm.send(new AddTagsToResourceCommand({ ResourceType: 'Parameter', ResourceId: name, Tags: changed }));
}

function ParameterFormBody({ existing, path }: { existing?: Existing; path: string }) {
  const c = useSession();
  const [type, setType] = useState<ParameterType>(existing?.type ?? 'String');
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const name = existing?.name ?? field(f, 'name');
    const tags = parseTags(String(f.get('tags') ?? ''));
    setBusy(true);
    setError(undefined);
    try {
      await c.ssm.send(new PutParameterCommand({
        Name: name, Type: type, Value: String(f.get('value') ?? ''), Tier: field(f, 'tier') as ParameterTier,
        Description: field(f, 'description') || undefined, AllowedPattern: field(f, 'allowedPattern') || undefined,
        KeyId: type === 'SecureString' ? field(f, 'keyId') || undefined : undefined,
        ...(existing ? { Overwrite: true } : { Tags: tags.length ? tags : undefined }),
      }));
      if (existing) await retag(c, name, existing.tags, tags);
      navigate(parameterLink({ p: name }));
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };
  return (
    <form className="form" onSubmit={submit} aria-label="Parameter">
      <label>Name<input name="name" required readOnly={!!existing} autoFocus={!existing}
        defaultValue={existing?.name ?? (path ? `${path}/` : '')} placeholder="/app/prod/db-url" /></label>
      <label>Description<input name="description" defaultValue={existing?.description ?? ''} /></label>
      <div className="row">
        <label>Type<select name="type" value={type} onChange={(e) => setType(e.target.value as ParameterType)}>{TYPES.map((t) => <option key={t}>{t}</option>)}</select></label>
        <label>Tier<select name="tier" defaultValue={existing?.tier ?? 'Standard'}>{TIERS.map((t) => <option key={t}>{t}</option>)}</select></label>
        {type === 'SecureString' && <label>KMS key ID<input name="keyId" defaultValue={existing?.keyId ?? ''} placeholder="alias/aws/ssm (default)" /></label>}
      </div>
      {type === 'SecureString'
        ? <label>Value<input name="value" type="password" required autoComplete="off" defaultValue={existing?.value ?? ''} /></label>
        : <label>Value<textarea name="value" required spellCheck={false} defaultValue={existing?.value ?? ''}
          placeholder={type === 'StringList' ? 'a,b,c' : ''} /></label>}
      <label>Allowed pattern<input name="allowedPattern" defaultValue={existing?.allowedPattern ?? ''} placeholder="^\d+$" /></label>
      <label>Tags (key=value, one per line)<textarea name="tags" spellCheck={false} defaultValue={tagsText(existing?.tags ?? [])} /></label>
      <ErrorBox error={error} />
      <div><button type="submit" className="primary" disabled={busy}>{busy ? 'Saving…' : existing ? 'Save parameter' : 'Create parameter'}</button></div>
    </form>
  );
}
