/**
 * PublishBatch: up to ten messages to one topic, each checked and fanned out exactly as Publish does
 * (prepareMessage + fanOut), in one outbox write.
 *
 * AWS refuses the whole request when one entry is malformed (a JSON MessageStructure without
 * `default` answers InvalidParameter for the batch), so `Failed` only lists entries that could not be
 * handed to the outbox — with one transaction for the batch, there are none.
 */
import { ServiceError } from '../../protocol/errors.ts';
import type { Ctx } from '../../protocol/service.ts';
import type { SnsDeps } from './deps.ts';
import { topicKeyFromArn, topicNotFound } from './names.ts';
import { MAX_MESSAGE_BYTES, checkSubject, fanOut, prepareMessage, type PreparedMessage } from './publish.ts';
import type { CallInput, CallOutput } from '../../protocol/operations.ts';

export const MAX_BATCH_ENTRIES = 10;
const MAX_ID_LENGTH = 80;
const BATCH_ID = /^[A-Za-z0-9_-]+$/;

const batchError = (code: string, message: string) => new ServiceError(code, message);

export async function publishBatch(deps: SnsDeps, ctx: Ctx, input: CallInput<'sns', 'PublishBatch'>): Promise<CallOutput<'sns', 'PublishBatch'>> {
  const entries = input.PublishBatchRequestEntries ?? [];
  if (entries.length === 0) throw batchError('EmptyBatchRequest', "The batch request doesn't contain any entries.");
  if (entries.length > MAX_BATCH_ENTRIES) throw batchError('TooManyEntriesInBatchRequest', 'The batch request contains more entries than permissible.');
  const key = topicKeyFromArn(ctx, input.TopicArn);
  if (!(await deps.repo.getTopic(key))) throw topicNotFound();
  checkIds(entries.map((e) => e.Id ?? ''));

  const prepared: PreparedMessage[] = [];
  let total = 0;
  for (const entry of entries) {
    if (entry.Subject !== undefined) checkSubject(entry.Subject);
    const m = prepareMessage(entry);
    total += m.bytes;
    prepared.push(m);
  }
  if (total > MAX_MESSAGE_BYTES) throw batchError('BatchRequestTooLong', 'The length of all the messages put together is more than the limit.');

  const published = await fanOut(deps, key, prepared, ctx.clock.now());
  return { Successful: entries.map((e, i) => ({ Id: e.Id, ...published[i] })), Failed: [] };
}

/** AWS: ids distinct, at most 80 characters of letters, digits, hyphens and underscores. */
function checkIds(ids: string[]): void {
  if (new Set(ids).size !== ids.length) throw batchError('BatchEntryIdsNotDistinct', 'Two or more batch entries in the request have the same Id.');
  for (const id of ids) {
    if (id.length > MAX_ID_LENGTH) throw batchError('InvalidBatchEntryId', `The Id of a batch entry in the batch request is too long: ${id}`);
    if (!BATCH_ID.test(id)) throw batchError('InvalidBatchEntryId', `The Id of a batch entry in the batch request contains an impermissible character: ${id}`);
  }
}
