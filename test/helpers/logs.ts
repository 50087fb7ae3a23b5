/** Deterministic events: `count` messages one millisecond apart, each unique and easy to check. */
export function makeEvents(count: number, start: number, prefix: string): { timestamp: number; message: string }[] {
  return Array.from({ length: count }, (_, i) => ({ timestamp: start + Math.floor(i / 3), message: `${prefix}-${i}` }));
}

interface Page {
  events?: { timestamp?: number; message?: string }[];
  nextForwardToken?: string;
  nextBackwardToken?: string;
}

/** Follows nextForwardToken from the head until the token stops changing. */
export async function readAllForward(get: (p: { nextToken?: string; startFromHead?: boolean }) => Promise<Page>) {
  const out: { timestamp?: number; message?: string }[] = [];
  let token: string | undefined;
  for (let i = 0; i < 10_000; i++) {
    const page = await get({ startFromHead: true, nextToken: token });
    out.push(...(page.events ?? []));
    if (page.nextForwardToken === token) return out;
    token = page.nextForwardToken;
  }
  throw new Error('forward pagination did not terminate');
}

/** Follows nextBackwardToken from the tail until the token stops changing; returns oldest first. */
export async function readAllBackward(get: (p: { nextToken?: string; startFromHead?: boolean }) => Promise<Page>) {
  const pages: { timestamp?: number; message?: string }[][] = [];
  let token: string | undefined;
  for (let i = 0; i < 10_000; i++) {
    const page = await get({ startFromHead: false, nextToken: token });
    pages.unshift(page.events ?? []);
    if (page.nextBackwardToken === token) return pages.flat();
    token = page.nextBackwardToken;
  }
  throw new Error('backward pagination did not terminate');
}

/** A log group with one stream `s` holding `messages`, a millisecond apart, a minute ago. */
export async function putLogs(logs: import('@aws-sdk/client-cloudwatch-logs').CloudWatchLogsClient, group: string, messages: string[]): Promise<void> {
  const { CreateLogGroupCommand, CreateLogStreamCommand, PutLogEventsCommand } = await import('@aws-sdk/client-cloudwatch-logs');
  await logs.send(new CreateLogGroupCommand({ logGroupName: group }));
  await logs.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: 's' }));
  const now = Date.now();
  await logs.send(new PutLogEventsCommand({ logGroupName: group, logStreamName: 's', logEvents: messages.map((message, i) => ({ timestamp: now - 60_000 + i, message })) }));
}
