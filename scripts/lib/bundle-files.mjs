// What the bundle builders (build-agent.mjs, build-canary-runtime.mjs) share: when sources last
// changed, and writing a bundle so that nothing ever loads half of one.
import { mkdirSync, readdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The newest modification time (ms) of any file under `dir`. */
export function newestMtime(dir) {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return t;
}

/** Writes aside and renames: a process starting during a rebuild never loads a half-written bundle. */
export function writeBundle(path, contents) {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, contents);
  renameSync(tmp, path);
}
