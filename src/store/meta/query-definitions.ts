import { startsWith } from './prefix.ts';
import type { Sql } from './sql/types.ts';

export interface QueryDefinitionRecord {
  account: string;
  region: string;
  id: string;
  name: string;
  queryString: string;
  logGroupNames: string[];
  queryLanguage: string;
  lastModified: number;
}

interface Row {
  account: string;
  region: string;
  id: string;
  name: string;
  query_string: string;
  log_group_names: string;
  query_language: string;
  last_modified: number;
}

const toRecord = (r: Row): QueryDefinitionRecord => ({
  account: r.account,
  region: r.region,
  id: r.id,
  name: r.name,
  queryString: r.query_string,
  logGroupNames: JSON.parse(r.log_group_names) as string[],
  queryLanguage: r.query_language,
  lastModified: r.last_modified,
});

/** Saved Logs Insights queries (PutQueryDefinition and friends), on either metadata engine. */
export interface QueryDefinitionRepo {
  get(account: string, region: string, id: string): Promise<QueryDefinitionRecord | undefined>;
  count(account: string, region: string): Promise<number>;
  /** Creates the definition, or replaces the one with the same (account, region, id). */
  upsert(d: QueryDefinitionRecord): Promise<void>;
  delete(account: string, region: string, id: string): Promise<boolean>;
  /** Ordered by name then id; `after` is the last (name, id) of the previous page. */
  list(account: string, region: string, prefix: string | undefined, after: [string, string] | undefined, limit: number): Promise<QueryDefinitionRecord[]>;
}

const GET = 'SELECT * FROM query_definitions WHERE account = ? AND region = ? AND id = ?';
const COUNT = 'SELECT COUNT(*) AS n FROM query_definitions WHERE account = ? AND region = ?';
const UPSERT = `INSERT INTO query_definitions (account, region, id, name, query_string, log_group_names, query_language, last_modified)
  VALUES (@account, @region, @id, @name, @queryString, @logGroupNames, @queryLanguage, @lastModified)
  ON CONFLICT (account, region, id) DO UPDATE SET name = excluded.name, query_string = excluded.query_string,
    log_group_names = excluded.log_group_names, query_language = excluded.query_language, last_modified = excluded.last_modified`;
const DELETE = 'DELETE FROM query_definitions WHERE account = ? AND region = ? AND id = ?';

export class QueryDefinitionStore implements QueryDefinitionRepo {
  constructor(private readonly db: Sql) {}

  async get(account: string, region: string, id: string): Promise<QueryDefinitionRecord | undefined> {
    const r = await this.db.get<Row>(GET, [account, region, id]);
    return r && toRecord(r);
  }

  async count(account: string, region: string): Promise<number> {
    return (await this.db.get<{ n: number }>(COUNT, [account, region]))!.n;
  }

  async upsert(d: QueryDefinitionRecord): Promise<void> {
    await this.db.run(UPSERT, {
      account: d.account,
      region: d.region,
      id: d.id,
      name: d.name,
      queryString: d.queryString,
      logGroupNames: JSON.stringify(d.logGroupNames),
      queryLanguage: d.queryLanguage,
      lastModified: d.lastModified,
    });
  }

  async delete(account: string, region: string, id: string): Promise<boolean> {
    return (await this.db.run(DELETE, [account, region, id])).changes === 1;
  }

  async list(
    account: string,
    region: string,
    prefix: string | undefined,
    after: [string, string] | undefined,
    limit: number,
  ): Promise<QueryDefinitionRecord[]> {
    const where = ['account = @account', 'region = @region'];
    const params: Record<string, unknown> = { account, region, limit };
    if (prefix !== undefined) {
      where.push(startsWith('name', prefix, params));
    }
    if (after) {
      where.push('(name > @an OR (name = @an AND id > @ai))');
      params.an = after[0];
      params.ai = after[1];
    }
    const rows = await this.db.all<Row>(`SELECT * FROM query_definitions WHERE ${where.join(' AND ')} ORDER BY name, id LIMIT @limit`, params);
    return rows.map(toRecord);
  }
}
