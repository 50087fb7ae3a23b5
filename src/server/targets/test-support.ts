/** For unit tests of deliverers: a server with no Kinesis streams or Firehose delivery streams. */
import { ManualClock } from '../../lib/clock.ts';
import { silentLogger } from '../../lib/logger.ts';
import { ServiceError } from '../../protocol/errors.ts';
import type { StreamCalls } from './stream-records.ts';

export const noNativeStreams: StreamCalls = {
  call: (async (service: string) => {
    throw new ServiceError('ResourceNotFoundException', `no ${service} stream in this test`);
  }) as unknown as StreamCalls['call'],
  serviceCtx: (scope) => ({ ...scope, accessKeyId: '', requestId: 'test', clock: new ManualClock(0), log: silentLogger }),
};
