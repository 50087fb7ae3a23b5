// The queue's tags, edited as "key=value" lines and saved as the UntagQueue / TagQueue difference.
import { useState } from 'react';
import { ListQueueTagsCommand, TagQueueCommand, UntagQueueCommand } from '@aws-sdk/client-sqs';
import { formAction } from '../form-action.ts';
import { parseTags, tagChanges, tagsText } from '../tags.ts';
import { AsyncView, ErrorBox, Notice, useAsync } from '../ui.tsx';
import { useSqs } from './queues-api.ts';

export function TagsTab({ url }: { url: string }) {
  const sqs = useSqs();
  const tags = useAsync(async () => Object.entries((await sqs.send(new ListQueueTagsCommand({ QueueUrl: url }))).Tags ?? {}).map(([Key, Value]) => ({ Key, Value })), [url]);
  const [error, setError] = useState<unknown>();
  const [saved, setSaved] = useState(false);
  const submit = formAction((e) => (setError(e), setSaved(false)))(async (f) => {
    const { removed, changed } = tagChanges(tags.data ?? [], parseTags(String(f.get('tags') ?? '')));
    if (removed.length) await sqs.send(new UntagQueueCommand({ QueueUrl: url, TagKeys: removed }));
    if (changed.length) await sqs.send(new TagQueueCommand({ QueueUrl: url, Tags: Object.fromEntries(changed.map((t) => [t.Key, t.Value])) }));
  }, () => (setSaved(true), tags.reload()));
  return (
    <AsyncView state={tags}>
      {(t) => (
        <form className="panel form" aria-label="Tags" onSubmit={submit}>
          {t.length === 0 && <p className="muted">No tags.</p>}
          <label>Tags (key=value, one per line)<textarea name="tags" rows={6} defaultValue={tagsText(t)} key={tagsText(t)} /></label>
          <ErrorBox error={error} />
          {saved && <Notice>Saved the tags.</Notice>}
          <div><button type="submit" className="primary">Save tags</button></div>
        </form>
      )}
    </AsyncView>
  );
}
