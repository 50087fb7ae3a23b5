/**
 * Errors that keep the server from starting and that the operator can fix (a port in use, a data
 * directory held by another process). `osprey serve` prints their message as one line and exits
 * non-zero; a stack trace would only bury the one fact that matters.
 */
export class StartupError extends Error {
  constructor(message: string, opts?: { cause?: unknown }) {
    super(message, opts);
    this.name = 'StartupError';
  }
}

/**
 * Turns a failed listen()/bind() into a StartupError naming the listener, the address and the
 * setting to change. Errors other than the usual address problems are returned unchanged.
 */
export function listenError(err: unknown, what: string, host: string, port: number, setting: string): unknown {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  const where = `${host}:${port}`;
  const fix = `set ${setting} to another port, or 0 for any free port`;
  if (code === 'EADDRINUSE') return new StartupError(`${what}: port ${port} on ${host} is already in use; ${fix}`, { cause: err });
  if (code === 'EACCES') return new StartupError(`${what}: no permission to listen on ${where} (ports below 1024 need privileges); ${fix}`, { cause: err });
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') {
    return new StartupError(`${what}: cannot listen on ${where}: ${host} is not an address of this machine; set --host / OSPREY_HOST`, { cause: err });
  }
  return err;
}

/** The one line `osprey serve` prints for an error that stopped startup. */
export function startupFailureLine(err: unknown): string {
  if (err instanceof StartupError) return err.message;
  const message = err instanceof Error ? err.message : String(err);
  // Unexpected failures: still one line; the stack is in the debug log (OSPREY_LOG_LEVEL=debug).
  return `failed to start: ${message.split('\n')[0]} (OSPREY_LOG_LEVEL=debug logs the details)`;
}
