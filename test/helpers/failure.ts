import assert from 'node:assert/strict';

/** An SDK v3 call that must fail: its error name (the AWS code), message and HTTP status. */
export async function failure(p: Promise<unknown>): Promise<{ name: string; message: string; status?: number }> {
  try {
    await p;
  } catch (e) {
    const err = e as Error & { $metadata?: { httpStatusCode?: number } };
    return { name: err.name, message: err.message, status: err.$metadata?.httpStatusCode };
  }
  return assert.fail('expected the call to fail');
}
