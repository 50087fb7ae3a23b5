// Tags in forms: a "key=value"-per-line text area, and the changes between a resource's old and new
// tags (what to remove, what to add or overwrite) for the services that tag with separate calls.

export interface KeyValueTag {
  Key: string | undefined;
  Value?: string;
}

/** "key=value" lines to tags; a line without "=" is a key with an empty value. */
export function parseTags(text: string): { Key: string; Value: string }[] {
  return text.split('\n').map((l) => l.trim()).filter(Boolean).map((l) => {
    const i = l.indexOf('=');
    return i < 0 ? { Key: l, Value: '' } : { Key: l.slice(0, i).trim(), Value: l.slice(i + 1).trim() };
  });
}

export const tagsText = (tags: readonly KeyValueTag[]): string => tags.map((t) => `${t.Key}=${t.Value ?? ''}`).join('\n');

/** The keys to remove and the tags to set to go from `before` to `after`. */
export function tagChanges(before: readonly KeyValueTag[], after: readonly { Key: string; Value: string }[]): { removed: string[]; changed: { Key: string; Value: string }[] } {
  return {
    removed: before.filter((b) => !after.some((a) => a.Key === b.Key)).map((t) => t.Key!),
    changed: after.filter((a) => !before.some((b) => b.Key === a.Key && (b.Value ?? '') === a.Value)),
  };
}
