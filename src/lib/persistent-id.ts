/**
 * An id drawn once and kept in a file (16 hex digits): the same after a restart, and it travels
 * with a backup of the directory holding it. Written synchronously and flushed before it is used,
 * so nothing is ever keyed by an id that is then lost.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

export function persistentId(file: string): string {
  if (existsSync(file)) {
    const id = readFileSync(file, 'utf8').trim();
    if (/^[0-9a-f]{16}$/.test(id)) return id;
  }
  const id = randomBytes(8).toString('hex');
  writeFileSync(file, `${id}\n`, { flush: true });
  return id;
}
