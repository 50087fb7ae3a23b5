/**
 * OSPREY_DISK_NEARLY_FULL: the data directory's file system has less free space (available to
 * Osprey, i.e. statfs bavail) than `diskFreePercent` of its size. Writes fail once it is full: the
 * telemetry WAL refuses appends (503) and SQLite commits fail.
 */
import { statfs } from 'node:fs/promises';
import { DISK_NEARLY_FULL } from '../event-types.ts';
import type { Check } from './check.ts';

export function freePercent(s: { bavail: number; blocks: number }): number {
  return s.blocks > 0 ? (s.bavail / s.blocks) * 100 : 100;
}

/** `entity`: the data directory, or with several nodes the node's name (host:directory). */
export function diskSpaceCheck(dataDir: string, thresholdPercent: number, stat = statfs, entity = dataDir): Check {
  return {
    name: 'disk-space',
    types: [DISK_NEARLY_FULL],
    async run() {
      const s = await stat(dataDir);
      const free = freePercent(s);
      if (free >= thresholdPercent) return [];
      const gib = (s.bavail * s.bsize) / 2 ** 30;
      return [{
        typeCode: DISK_NEARLY_FULL, entity,
        description: `The file system of Osprey's data directory ${entity === dataDir ? dataDir : entity} has ${free.toFixed(1)} % free (${gib.toFixed(2)} GiB), `
          + `below the ${thresholdPercent} % threshold (health.diskFreePercent). When it fills, ingestion answers 503 and metadata writes fail: free space or grow the volume.`,
      }];
    },
  };
}
