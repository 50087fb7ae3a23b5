/** The Chromium canaries drive: `syntheticsChromium` when set, else the first known name on PATH. */
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

const NAMES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'];

export function findChromium(configured: string, path = process.env.PATH ?? ''): string | undefined {
  if (configured) return configured;
  for (const dir of path.split(delimiter)) {
    for (const name of NAMES) {
      const p = join(dir, name);
      try {
        accessSync(p, constants.X_OK);
        return p;
      } catch { /* next */ }
    }
  }
  return undefined;
}
