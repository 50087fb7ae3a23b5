import assert from 'node:assert/strict';

/** Polls `f` every 50 ms until it returns something other than undefined, or fails after `ms`. */
export async function until<T>(what: string, f: () => Promise<T | undefined> | T | undefined, ms = 5000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (v !== undefined) return v;
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
