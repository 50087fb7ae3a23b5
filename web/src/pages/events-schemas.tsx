// Discovered schemas: a read-only list of the `discovered-schemas` registry (EventBridge Schemas,
// loaded on first use so other pages don't carry its client) and a schema's content on click.
import { useState } from 'react';
import { useSession } from '../app-context.ts';
import { AsyncView, ErrorBox, Loading, useAsync } from '../ui.tsx';
import { prettyJson } from './events-api.ts';

const REGISTRY = 'discovered-schemas';

function useSchemasClient() {
  const c = useSession();
  return useAsync(async () => {
    const sdk = await import('@aws-sdk/client-schemas');
    return { sdk, client: new sdk.SchemasClient(c.config) };
  }, [c]);
}

export function SchemasTab() {
  const schemas = useSchemasClient();
  const [open, setOpen] = useState<string>();
  const list = useAsync(async () => {
    if (!schemas.data) return undefined;
    const { sdk, client } = schemas.data;
    const out: { name: string; version?: string }[] = [];
    for await (const page of sdk.paginateListSchemas({ client }, { RegistryName: REGISTRY })) {
      for (const s of page.Schemas ?? []) out.push({ name: s.SchemaName!, version: s.VersionCount?.toString() });
    }
    return out;
  }, [schemas.data]);
  if (schemas.error) return <ErrorBox error={schemas.error} />;
  if (!schemas.data) return <Loading what="Loading schemas" />;
  return (
    <>
      <h4>Discovered schemas <span className="muted">({REGISTRY})</span></h4>
      <AsyncView state={list} isEmpty={(l) => !l || l.length === 0} empty="No discovered schemas.">
        {(l) => (
          <ul className="list" aria-label="Discovered schemas">
            {l!.map((s) => (
              <li key={s.name}>
                <a href="#" onClick={(e) => (e.preventDefault(), setOpen(open === s.name ? undefined : s.name))}>{s.name}</a>
                {s.version && <span className="muted"> · {s.version} versions</span>}
                {open === s.name && <SchemaContent name={s.name} />}
              </li>
            ))}
          </ul>
        )}
      </AsyncView>
    </>
  );
}

function SchemaContent({ name }: { name: string }) {
  const schemas = useSchemasClient();
  const schema = useAsync(async () => {
    if (!schemas.data) return undefined;
    const { sdk, client } = schemas.data;
    return client.send(new sdk.DescribeSchemaCommand({ RegistryName: REGISTRY, SchemaName: name }));
  }, [schemas.data, name]);
  if (schemas.error) return <ErrorBox error={schemas.error} />;
  return (
    <AsyncView state={schema}>
      {(s) => <pre aria-label={`Schema ${name}`}>{s ? prettyJson(s.Content) : ''}</pre>}
    </AsyncView>
  );
}
