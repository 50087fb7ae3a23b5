/** CloudTrail's metadata tables (module migrations: ids count within `cloudtrail`). Parts append theirs. */
import type { Migration } from '../../store/meta/db.ts';
import { TRAIL_MIGRATIONS } from './trails/schema.ts';
import { LAKE_MIGRATIONS } from './lake/schema.ts';

export const CLOUDTRAIL_MIGRATIONS: Migration[] = [...TRAIL_MIGRATIONS, ...LAKE_MIGRATIONS];
