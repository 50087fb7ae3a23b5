/**
 * Who owns each bucket of `export.buckets` (`export.bucketOwners`; see ExportConfig): the accounts
 * that may read its objects back (Athena external tables) and deliver into it (Firehose). As on
 * AWS, another account's bucket is not reachable without a grant.
 */
/** The configured owners, else the only account (none when there are several). */
export function bucketOwnersFrom(configured: Record<string, string[]> | undefined, accounts: readonly string[]): (bucket: string) => readonly string[] {
  const distinct = [...new Set(accounts)];
  const fallback = distinct.length === 1 ? distinct : [];
  return (bucket) => (configured && Object.hasOwn(configured, bucket) ? configured[bucket]! : fallback);
}
