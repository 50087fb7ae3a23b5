/** The record types live with the facts (src/server/trail-record.ts): other services receive them. */
export type { CloudTrailRecord, EventCategory, RecordResource, StoredTrailEvent, UserIdentity } from '../../../server/trail-record.ts';
