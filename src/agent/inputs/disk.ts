/**
 * disk: space and inodes of mounted file systems (statfs), as gopsutil's disk usage — `used` =
 * (blocks − bfree) × bsize, `free` = bavail × bsize (what non-root users may still use),
 * `used_percent` = used / (used + free). By default every mount of a device-backed file system (the
 * types /proc/filesystems does not mark `nodev`); `resources` lists mount points instead ("*" = all).
 * Tags: `path`, `device` (without /dev/, unless `drop_device`), `fstype`.
 */
import { readFileSync, statfsSync } from 'node:fs';
import { join } from 'node:path';
import { HOST_PROC, type HostInput, type ProcPaths, type Sample } from './types.ts';

export interface DiskOptions {
  resources?: readonly string[];
  ignoreFileSystemTypes?: readonly string[];
  dropDevice?: boolean;
}

interface Mount { device: string; path: string; fstype: string }

/** /proc/self/mounts fields are octal-escaped (`\040` for a space). */
const unescape = (s: string): string => s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));

export function parseMounts(text: string): Mount[] {
  return text.split('\n').filter(Boolean).map((l) => {
    const [device, path, fstype] = l.split(' ');
    return { device: unescape(device ?? ''), path: unescape(path ?? ''), fstype: fstype ?? '' };
  });
}

/** File system types backed by a device (lines of /proc/filesystems without `nodev`). */
export function deviceFileSystems(text: string): Set<string> {
  return new Set(text.split('\n').filter((l) => l.trim() && !l.startsWith('nodev')).map((l) => l.trim()));
}

export function diskInput(opts: DiskOptions, paths: ProcPaths = HOST_PROC): HostInput {
  const ignored = new Set(opts.ignoreFileSystemTypes ?? []);
  const wanted = opts.resources && !opts.resources.includes('*') ? new Set(opts.resources) : undefined;
  return {
    collect() {
      const physical = deviceFileSystems(readFileSync(join(paths.proc, 'filesystems'), 'utf8'));
      const seen = new Set<string>();
      const out: Sample[] = [];
      for (const m of parseMounts(readFileSync(join(paths.proc, 'self', 'mounts'), 'utf8'))) {
        if (seen.has(m.path) || ignored.has(m.fstype)) continue;
        if (wanted ? !wanted.has(m.path) : !physical.has(m.fstype)) continue;
        seen.add(m.path);
        let s;
        try {
          s = statfsSync(m.path);
        } catch {
          continue; // unmounted meanwhile, or not readable: skipped as the agent does
        }
        const used = (s.blocks - s.bfree) * s.bsize;
        const free = s.bavail * s.bsize;
        const tags: Record<string, string> = { path: m.path, fstype: m.fstype, ...(opts.dropDevice ? {} : { device: m.device.replace(/^\/dev\//, '') }) };
        const fields: [string, number, Sample['unit']][] = [
          ['total', s.blocks * s.bsize, 'Bytes'], ['free', free, 'Bytes'], ['used', used, 'Bytes'],
          ['used_percent', used + free > 0 ? (100 * used) / (used + free) : 0, 'Percent'],
          ['inodes_total', s.files, 'Count'], ['inodes_free', s.ffree, 'Count'], ['inodes_used', s.files - s.ffree, 'Count'],
        ];
        for (const [field, value, unit] of fields) out.push({ field, value, unit, tags });
      }
      return out;
    },
  };
}
