/** This build's version (package.json), for backup manifests and `osprey doctor`. */
import { readFileSync } from 'node:fs';

export const OSPREY_VERSION: string = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
