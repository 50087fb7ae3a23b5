/**
 * TestMetricFilter: which of up to 50 messages a pattern matches, with the fields it extracts.
 *
 * - eventNumber counts from 1, as the AWS CLI's documented output shows (`"eventNumber": 1` for the
 *   first message). The 2014 API reference examples count from 0; the CLI example is the newer
 *   capture of the service.
 * - extractedValues: for space-delimited patterns `$name` per named field and `$N` (1-based token
 *   position) for tokens matched by `...` or an unnamed field, brackets and quotes removed; empty
 *   for every other kind of pattern ("If you are not using a space-delimited filter, this will be
 *   empty").
 */
import type { MetricFilterMatchRecord } from '@aws-sdk/client-cloudwatch-logs';
import type { Ctx } from '../../../protocol/service.ts';
import { compileFilterPattern, parseFilterPattern } from '../filter-pattern/index.ts';
import { required } from '../names.ts';
import type { CallInput, CallOutput } from '../../../protocol/operations.ts';

export async function testMetricFilter(_ctx: Ctx, input: CallInput<'logs', 'TestMetricFilter'>): Promise<CallOutput<'logs', 'TestMetricFilter'>> {
  const compiled = compileFilterPattern(parseFilterPattern(required(input.filterPattern, 'filterPattern')));
  const matches: MetricFilterMatchRecord[] = [];
  required(input.logEventMessages, 'logEventMessages').forEach((message, i) => {
    const ex = compiled.extract(message);
    if (ex === undefined) return;
    matches.push({ eventNumber: i + 1, eventMessage: message, extractedValues: ex.kind === 'delimited' ? { ...ex.fields } : {} });
  });
  return { matches };
}
