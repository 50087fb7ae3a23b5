/**
 * SNS topics, subscriptions and confirmation tokens. Subscriptions and tokens belong to their topic
 * (foreign key, ON DELETE CASCADE: DeleteTopic deletes its subscriptions, as in AWS).
 */
import { forUpdate } from './sql/locking.ts';
import type { Sql } from './sql/types.ts';

export interface TopicKey {
  account: string;
  region: string;
  name: string;
}

export interface TopicRecord extends TopicKey {
  /** Settable attributes as given (DisplayName, Policy, DeliveryPolicy, SignatureVersion…). */
  attributes: Record<string, string>;
  tags: Record<string, string>;
  /** GetTopicAttributes' SubscriptionsDeleted. */
  subscriptionsDeleted: number;
  createdAt: number;
}

export interface SubscriptionRecord {
  arn: string;
  account: string;
  region: string;
  topicName: string;
  protocol: string;
  endpoint: string;
  owner: string;
  confirmed: boolean;
  confirmationWasAuthenticated: boolean;
  authenticateOnUnsubscribe: boolean;
  /** Settable attributes as given (RawMessageDelivery, FilterPolicy…). */
  attributes: Record<string, string>;
  createdAt: number;
}

/**
 * A confirmation token (SubscribeURL / ConfirmSubscription). It names the pending subscription, or,
 * for the token of an UnsubscribeConfirmation, what to subscribe again.
 */
export interface TokenRecord {
  token: string;
  account: string;
  region: string;
  topicName: string;
  subscriptionArn: string;
  protocol: string;
  endpoint: string;
  attributes: Record<string, string>;
  expiresAt: number;
}

export interface SubscriptionCounts {
  confirmed: number;
  pending: number;
}

export interface SnsRepo {
  /** Inserts the topic unless one of that name exists; returns the stored topic and whether it was created. */
  createTopic(t: TopicRecord): Promise<{ topic: TopicRecord; created: boolean }>;
  getTopic(k: TopicKey): Promise<TopicRecord | undefined>;
  /** Replaces attributes and/or tags; false when the topic does not exist. */
  updateTopic(k: TopicKey, change: { attributes?: Record<string, string>; tags?: Record<string, string> }): Promise<boolean>;
  /** Deletes the topic with its subscriptions and tokens; false when it did not exist. */
  deleteTopic(k: TopicKey): Promise<boolean>;
  /** By name (byte order), names greater than `after`. */
  listTopics(account: string, region: string, after: string | undefined, limit: number): Promise<TopicRecord[]>;
  countSubscriptions(k: TopicKey): Promise<SubscriptionCounts>;

  insertSubscription(s: SubscriptionRecord): Promise<void>;
  getSubscription(arn: string): Promise<SubscriptionRecord | undefined>;
  findSubscription(k: TopicKey, protocol: string, endpoint: string): Promise<SubscriptionRecord | undefined>;
  updateSubscription(arn: string, change: Partial<Pick<SubscriptionRecord, 'confirmed' | 'confirmationWasAuthenticated' | 'authenticateOnUnsubscribe' | 'attributes'>>): Promise<boolean>;
  /** Deletes it and counts it in the topic's SubscriptionsDeleted; false when it did not exist. */
  deleteSubscription(arn: string): Promise<boolean>;
  /** By ARN (byte order), ARNs greater than `after`. */
  listSubscriptions(account: string, region: string, after: string | undefined, limit: number): Promise<SubscriptionRecord[]>;
  listSubscriptionsByTopic(k: TopicKey, after: string | undefined, limit: number): Promise<SubscriptionRecord[]>;
  /** Every confirmed subscription of a topic: what Publish fans out to. */
  confirmedSubscriptions(k: TopicKey): Promise<SubscriptionRecord[]>;

  putToken(t: TokenRecord): Promise<void>;
  getToken(token: string): Promise<TokenRecord | undefined>;
  deleteExpiredTokens(now: number): Promise<number>;
}

/** The migration SQL (store/meta/migrations.ts, id 9). Frozen once shipped. */
export const SNS_SQL = `
  CREATE TABLE sns_topics (
    account TEXT NOT NULL,
    region TEXT NOT NULL,
    name TEXT NOT NULL,
    attributes TEXT NOT NULL DEFAULT '{}',
    tags TEXT NOT NULL DEFAULT '{}',
    subscriptions_deleted INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (account, region, name)
  ) WITHOUT ROWID;
  CREATE TABLE sns_subscriptions (
    arn TEXT PRIMARY KEY,
    account TEXT NOT NULL,
    region TEXT NOT NULL,
    topic_name TEXT NOT NULL,
    protocol TEXT NOT NULL,
    endpoint TEXT NOT NULL,
    owner TEXT NOT NULL,
    confirmed INTEGER NOT NULL DEFAULT 0,
    confirmation_authenticated INTEGER NOT NULL DEFAULT 0,
    authenticate_on_unsubscribe INTEGER NOT NULL DEFAULT 0,
    attributes TEXT NOT NULL DEFAULT '{}',
    created_at INTEGER NOT NULL,
    FOREIGN KEY (account, region, topic_name) REFERENCES sns_topics (account, region, name) ON DELETE CASCADE
  ) WITHOUT ROWID;
  CREATE INDEX sns_subscriptions_by_topic ON sns_subscriptions (account, region, topic_name, arn);
  CREATE INDEX sns_subscriptions_by_scope ON sns_subscriptions (account, region, arn);
  CREATE INDEX sns_subscriptions_by_endpoint ON sns_subscriptions (account, region, topic_name, protocol, endpoint);
  CREATE TABLE sns_tokens (
    token TEXT PRIMARY KEY,
    account TEXT NOT NULL,
    region TEXT NOT NULL,
    topic_name TEXT NOT NULL,
    subscription_arn TEXT NOT NULL,
    protocol TEXT NOT NULL,
    endpoint TEXT NOT NULL,
    attributes TEXT NOT NULL DEFAULT '{}',
    expires_at INTEGER NOT NULL,
    FOREIGN KEY (account, region, topic_name) REFERENCES sns_topics (account, region, name) ON DELETE CASCADE
  ) WITHOUT ROWID;
  CREATE INDEX sns_tokens_by_expiry ON sns_tokens (expires_at);
`;

interface TopicRow {
  account: string;
  region: string;
  name: string;
  attributes: string;
  tags: string;
  subscriptions_deleted: number;
  created_at: number;
}

interface SubscriptionRow {
  arn: string;
  account: string;
  region: string;
  topic_name: string;
  protocol: string;
  endpoint: string;
  owner: string;
  confirmed: number;
  confirmation_authenticated: number;
  authenticate_on_unsubscribe: number;
  attributes: string;
  created_at: number;
}

interface TokenRow {
  token: string;
  account: string;
  region: string;
  topic_name: string;
  subscription_arn: string;
  protocol: string;
  endpoint: string;
  attributes: string;
  expires_at: number;
}

const toTopic = (r: TopicRow): TopicRecord => ({
  account: r.account,
  region: r.region,
  name: r.name,
  attributes: JSON.parse(r.attributes) as Record<string, string>,
  tags: JSON.parse(r.tags) as Record<string, string>,
  subscriptionsDeleted: r.subscriptions_deleted,
  createdAt: r.created_at,
});

const toSubscription = (r: SubscriptionRow): SubscriptionRecord => ({
  arn: r.arn,
  account: r.account,
  region: r.region,
  topicName: r.topic_name,
  protocol: r.protocol,
  endpoint: r.endpoint,
  owner: r.owner,
  confirmed: r.confirmed === 1,
  confirmationWasAuthenticated: r.confirmation_authenticated === 1,
  authenticateOnUnsubscribe: r.authenticate_on_unsubscribe === 1,
  attributes: JSON.parse(r.attributes) as Record<string, string>,
  createdAt: r.created_at,
});

const toToken = (r: TokenRow): TokenRecord => ({
  token: r.token,
  account: r.account,
  region: r.region,
  topicName: r.topic_name,
  subscriptionArn: r.subscription_arn,
  protocol: r.protocol,
  endpoint: r.endpoint,
  attributes: JSON.parse(r.attributes) as Record<string, string>,
  expiresAt: r.expires_at,
});

const SUB_KEY = 'account = @account AND region = @region AND topic_name = @name';

const SQL = {
  insertTopic: `INSERT INTO sns_topics (account, region, name, attributes, tags, subscriptions_deleted, created_at)
    VALUES (@account, @region, @name, @attributes, @tags, 0, @createdAt) ON CONFLICT (account, region, name) DO NOTHING`,
  getTopic: 'SELECT * FROM sns_topics WHERE account = @account AND region = @region AND name = @name',
  setTopicAttributes: 'UPDATE sns_topics SET attributes = @attributes WHERE account = @account AND region = @region AND name = @name',
  setTopicTags: 'UPDATE sns_topics SET tags = @tags WHERE account = @account AND region = @region AND name = @name',
  deleteTopic: 'DELETE FROM sns_topics WHERE account = @account AND region = @region AND name = @name',
  listTopics: `SELECT * FROM sns_topics WHERE account = @account AND region = @region AND name > @after
    ORDER BY name LIMIT @limit`,
  countSubs: `SELECT COALESCE(SUM(confirmed), 0) AS confirmed, COALESCE(SUM(1 - confirmed), 0) AS pending
    FROM sns_subscriptions WHERE ${SUB_KEY}`,
  insertSub: `INSERT INTO sns_subscriptions (arn, account, region, topic_name, protocol, endpoint, owner, confirmed,
      confirmation_authenticated, authenticate_on_unsubscribe, attributes, created_at)
    VALUES (@arn, @account, @region, @topicName, @protocol, @endpoint, @owner, @confirmed, @auth, @authUnsub, @attributes, @createdAt)`,
  getSub: 'SELECT * FROM sns_subscriptions WHERE arn = ?',
  findSub: `SELECT * FROM sns_subscriptions WHERE ${SUB_KEY} AND protocol = @protocol AND endpoint = @endpoint
    ORDER BY created_at, arn LIMIT 1`,
  updateSub: `UPDATE sns_subscriptions SET confirmed = @confirmed, confirmation_authenticated = @auth,
      authenticate_on_unsubscribe = @authUnsub, attributes = @attributes WHERE arn = @arn`,
  deleteSub: 'DELETE FROM sns_subscriptions WHERE arn = ? RETURNING account, region, topic_name',
  countDeleted: `UPDATE sns_topics SET subscriptions_deleted = subscriptions_deleted + 1
    WHERE account = @account AND region = @region AND name = @topic_name`,
  listSubs: `SELECT * FROM sns_subscriptions WHERE account = @account AND region = @region AND arn > @after
    ORDER BY arn LIMIT @limit`,
  listSubsByTopic: `SELECT * FROM sns_subscriptions WHERE ${SUB_KEY} AND arn > @after ORDER BY arn LIMIT @limit`,
  confirmedSubs: `SELECT * FROM sns_subscriptions WHERE ${SUB_KEY} AND confirmed = 1 ORDER BY arn`,
  putToken: `INSERT INTO sns_tokens (token, account, region, topic_name, subscription_arn, protocol, endpoint, attributes, expires_at)
    VALUES (@token, @account, @region, @topicName, @subscriptionArn, @protocol, @endpoint, @attributes, @expiresAt)
    ON CONFLICT (token) DO UPDATE SET account = excluded.account, region = excluded.region, topic_name = excluded.topic_name,
      subscription_arn = excluded.subscription_arn, protocol = excluded.protocol, endpoint = excluded.endpoint,
      attributes = excluded.attributes, expires_at = excluded.expires_at`,
  getToken: 'SELECT * FROM sns_tokens WHERE token = ?',
  deleteExpired: 'DELETE FROM sns_tokens WHERE expires_at <= ?',
};

export class SnsStore implements SnsRepo {
  constructor(private readonly db: Sql) {}

  async createTopic(t: TopicRecord): Promise<{ topic: TopicRecord; created: boolean }> {
    return this.db.transaction(async (tx) => {
      const created = (await tx.run(SQL.insertTopic, {
        account: t.account,
        region: t.region,
        name: t.name,
        attributes: JSON.stringify(t.attributes),
        tags: JSON.stringify(t.tags),
        createdAt: t.createdAt,
      })).changes === 1;
      return { topic: toTopic((await tx.get<TopicRow>(SQL.getTopic, key(t)))!), created };
    });
  }

  async getTopic(k: TopicKey): Promise<TopicRecord | undefined> {
    const r = await this.db.get<TopicRow>(SQL.getTopic, key(k));
    return r && toTopic(r);
  }

  async updateTopic(k: TopicKey, change: { attributes?: Record<string, string>; tags?: Record<string, string> }): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      if (!(await tx.get(SQL.getTopic + forUpdate(tx), key(k)))) return false;
      if (change.attributes) await tx.run(SQL.setTopicAttributes, { ...key(k), attributes: JSON.stringify(change.attributes) });
      if (change.tags) await tx.run(SQL.setTopicTags, { ...key(k), tags: JSON.stringify(change.tags) });
      return true;
    });
  }

  async deleteTopic(k: TopicKey): Promise<boolean> {
    return (await this.db.run(SQL.deleteTopic, key(k))).changes === 1;
  }

  async listTopics(account: string, region: string, after: string | undefined, limit: number): Promise<TopicRecord[]> {
    return (await this.db.all<TopicRow>(SQL.listTopics, { account, region, after: after ?? '', limit })).map(toTopic);
  }

  async countSubscriptions(k: TopicKey): Promise<SubscriptionCounts> {
    const r = (await this.db.get<SubscriptionCounts>(SQL.countSubs, key(k)))!;
    // SUM of a BIGINT is NUMERIC on PostgreSQL (parsed to a number); keep plain numbers either way.
    return { confirmed: Number(r.confirmed), pending: Number(r.pending) };
  }

  async insertSubscription(s: SubscriptionRecord): Promise<void> {
    await this.db.run(SQL.insertSub, {
      arn: s.arn,
      account: s.account,
      region: s.region,
      topicName: s.topicName,
      protocol: s.protocol,
      endpoint: s.endpoint,
      owner: s.owner,
      confirmed: s.confirmed ? 1 : 0,
      auth: s.confirmationWasAuthenticated ? 1 : 0,
      authUnsub: s.authenticateOnUnsubscribe ? 1 : 0,
      attributes: JSON.stringify(s.attributes),
      createdAt: s.createdAt,
    });
  }

  async getSubscription(arn: string): Promise<SubscriptionRecord | undefined> {
    const r = await this.db.get<SubscriptionRow>(SQL.getSub, [arn]);
    return r && toSubscription(r);
  }

  async findSubscription(k: TopicKey, protocol: string, endpoint: string): Promise<SubscriptionRecord | undefined> {
    const r = await this.db.get<SubscriptionRow>(SQL.findSub, { ...key(k), protocol, endpoint });
    return r && toSubscription(r);
  }

  async updateSubscription(
    arn: string,
    change: Partial<Pick<SubscriptionRecord, 'confirmed' | 'confirmationWasAuthenticated' | 'authenticateOnUnsubscribe' | 'attributes'>>,
  ): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const r = await tx.get<SubscriptionRow>(SQL.getSub + forUpdate(tx), [arn]);
      if (!r) return false;
      const s = { ...toSubscription(r), ...change };
      await tx.run(SQL.updateSub, {
        arn,
        confirmed: s.confirmed ? 1 : 0,
        auth: s.confirmationWasAuthenticated ? 1 : 0,
        authUnsub: s.authenticateOnUnsubscribe ? 1 : 0,
        attributes: JSON.stringify(s.attributes),
      });
      return true;
    });
  }

  async deleteSubscription(arn: string): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const r = await tx.get<Pick<SubscriptionRow, 'account' | 'region' | 'topic_name'>>(SQL.deleteSub, [arn]);
      if (!r) return false;
      await tx.run(SQL.countDeleted, { account: r.account, region: r.region, topic_name: r.topic_name });
      return true;
    });
  }

  async listSubscriptions(account: string, region: string, after: string | undefined, limit: number): Promise<SubscriptionRecord[]> {
    return (await this.db.all<SubscriptionRow>(SQL.listSubs, { account, region, after: after ?? '', limit })).map(toSubscription);
  }

  async listSubscriptionsByTopic(k: TopicKey, after: string | undefined, limit: number): Promise<SubscriptionRecord[]> {
    return (await this.db.all<SubscriptionRow>(SQL.listSubsByTopic, { ...key(k), after: after ?? '', limit })).map(toSubscription);
  }

  async confirmedSubscriptions(k: TopicKey): Promise<SubscriptionRecord[]> {
    return (await this.db.all<SubscriptionRow>(SQL.confirmedSubs, key(k))).map(toSubscription);
  }

  async putToken(t: TokenRecord): Promise<void> {
    await this.db.run(SQL.putToken, {
      token: t.token, account: t.account, region: t.region, topicName: t.topicName, subscriptionArn: t.subscriptionArn,
      protocol: t.protocol, endpoint: t.endpoint, attributes: JSON.stringify(t.attributes), expiresAt: t.expiresAt,
    });
  }

  async getToken(token: string): Promise<TokenRecord | undefined> {
    const r = await this.db.get<TokenRow>(SQL.getToken, [token]);
    return r && toToken(r);
  }

  async deleteExpiredTokens(now: number): Promise<number> {
    return (await this.db.run(SQL.deleteExpired, [now])).changes;
  }
}

const key = (k: TopicKey) => ({ account: k.account, region: k.region, name: k.name });
