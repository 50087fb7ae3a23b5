/**
 * Shard iterators: opaque tokens naming (account, region, stream, shard, position, issue time),
 * HMAC-signed with a per-data-directory secret so a client can neither forge a position in someone
 * else's stream nor reuse another account's iterator. They expire five minutes after they were
 * issued, as AWS's do (ExpiredIteratorException).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { ServiceError } from '../../protocol/errors.ts';
import type { Ctx } from '../../protocol/service.ts';
import type { SeqPosition } from '../../store/telemetry/index.ts';

export const ITERATOR_TTL_MS = 5 * 60_000;
const VERSION = 'k1';
const MAC_BYTES = 18;

export interface IteratorState {
  account: string;
  region: string;
  /** The stream's StreamId (a recreated stream's iterators are not the old one's). */
  streamId: string;
  shard: number;
  /** Records after this position come next. */
  after: SeqPosition;
  issuedAt: number;
}

export class ShardIterators {
  constructor(private readonly key: Buffer) {}

  issue(s: IteratorState): string {
    const body = Buffer.from([VERSION, s.account, s.region, s.streamId, s.shard, s.after.ms, s.after.sub, s.issuedAt].join('|')).toString('base64url');
    return `${body}.${this.mac(body).toString('base64url')}`;
  }

  /** The iterator's state; throws AWS's error for a malformed, forged, foreign or expired one. */
  open(token: string, ctx: Ctx, now: number): IteratorState {
    const s = this.verify(token);
    if (!s) throw new ServiceError('InvalidArgumentException', `Invalid ShardIterator: ${token.length > 64 ? `${token.slice(0, 64)}…` : token}`);
    if (s.account !== ctx.account || s.region !== ctx.region) {
      throw new ServiceError('AccessDeniedException', `User: ${ctx.principalArn} is not authorized to read with a shard iterator issued to another account or Region.`);
    }
    if (now - s.issuedAt > ITERATOR_TTL_MS) {
      throw new ServiceError('ExpiredIteratorException',
        `Iterator expired. The iterator was created at time ${new Date(s.issuedAt).toUTCString()} while right now it is ` +
        `${new Date(now).toUTCString()} which is further in the future than the tolerated delay of ${ITERATOR_TTL_MS} milliseconds.`);
    }
    return s;
  }

  private verify(token: string): IteratorState | undefined {
    const dot = token.indexOf('.');
    if (dot < 0) return undefined;
    const body = token.slice(0, dot);
    const mac = Buffer.from(token.slice(dot + 1), 'base64url');
    const want = this.mac(body);
    if (mac.length !== want.length || !timingSafeEqual(mac, want)) return undefined;
    const f = Buffer.from(body, 'base64url').toString('utf8').split('|');
    if (f.length !== 8 || f[0] !== VERSION) return undefined;
    const [, account, region, streamId, shard, ms, sub, issuedAt] = f as [string, string, string, string, string, string, string, string];
    return { account, region, streamId, shard: Number(shard), after: { ms: Number(ms), sub: Number(sub) }, issuedAt: Number(issuedAt) };
  }

  private mac(body: string): Buffer {
    return createHmac('sha256', this.key).update(body).digest().subarray(0, MAC_BYTES);
  }
}
