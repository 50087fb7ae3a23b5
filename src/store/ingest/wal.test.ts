import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { FRAME_HEADER_BYTES, SEGMENT_HEADER_BYTES } from './wal-frame.ts';
import { Wal, WalWriteError, nodeWalFileSystem, type WalFile, type WalFileSystem } from './wal.ts';

const tmp = (): string => mkdtempSync(join(tmpdir(), 'wal2-'));
const segments = (dir: string): string[] => readdirSync(dir).filter((f) => f.endsWith('.wal')).sort();
const text = (records: Array<{ payload: Buffer }>): string[] => records.map((r) => r.payload.toString());

/** A file system whose writes can be made to fail, counting writev calls. */
interface FaultyFs extends WalFileSystem {
  writes: number;
  failNext: (code: string, partial: boolean) => void;
  failTruncates: boolean;
  failOpens: number;
}

function faultyFs(): FaultyFs {
  let fail: { code: string; partial: boolean } | undefined;
  const fs: FaultyFs = {
    writes: 0,
    failTruncates: false,
    failOpens: 0,
    failNext: (code: string, partial: boolean) => {
      fail = { code, partial };
    },
    syncDir: nodeWalFileSystem.syncDir,
    openAppend: async (path: string): Promise<WalFile> => {
      if (fs.failOpens > 0) {
        fs.failOpens--;
        throw Object.assign(new Error('simulated EMFILE'), { code: 'EMFILE' });
      }
      const fh = await open(path, 'a');
      return {
        writev: (async (bufs: Buffer[]) => {
          fs.writes++;
          if (fail) {
            const f = fail;
            fail = undefined;
            // A device that took part of the write before refusing the rest.
            if (f.partial) await fh.write(Buffer.concat(bufs).subarray(0, 10));
            throw Object.assign(new Error(`simulated ${f.code}`), { code: f.code });
          }
          return fh.writev(bufs);
        }) as WalFile['writev'],
        datasync: () => fh.datasync(),
        truncate: (len?: number) => fs.failTruncates
          ? Promise.reject(Object.assign(new Error('simulated EIO'), { code: 'EIO' }))
          : fh.truncate(len),
        close: () => fh.close(),
      };
    },
  };
  return fs;
}

test('concurrent appends share one write (group commit) and come back in order after a reopen', async () => {
  const dir = tmp();
  const fs = faultyFs();
  const { wal, records } = await Wal.open({ dir, fsync: true, fs });
  assert.deepEqual(records, []);
  const before = fs.writes;
  const payloads = Array.from({ length: 100 }, (_, i) => Buffer.from(`record ${i}`));
  await Promise.all(payloads.map((p) => wal.append(p)));
  assert.equal(fs.writes - before, 1, '100 appends in one turn → one writev');
  // Appends made while a write is in flight go out together in the next one.
  const first = wal.append(Buffer.from('x'));
  await new Promise((r) => setImmediate(r));
  const late = Array.from({ length: 10 }, () => wal.append(Buffer.from('y')));
  await Promise.all([first, ...late]);
  assert.equal(fs.writes - before, 3);
  assert.equal(wal.durableLsn, 111);
  await wal.close();
  const again = await Wal.open({ dir, fsync: false });
  assert.deepEqual(again.problems, []);
  assert.equal(again.records.length, 111);
  assert.deepEqual(again.records.slice(0, 100).map((r) => r.lsn), payloads.map((_, i) => i + 1));
  assert.deepEqual(text(again.records.slice(0, 100)), payloads.map(String));
  // LSNs continue across restarts.
  await again.wal.append(Buffer.from('after'));
  assert.equal(again.wal.lastLsn, 112);
  await again.wal.close();
});

test('a group larger than IOV_MAX buffers is written whole', async () => {
  const dir = tmp();
  const { wal } = await Wal.open({ dir, fsync: false });
  const payloads = Array.from({ length: 5_000 }, (_, i) => Buffer.from(`r${i}`));
  await Promise.all(payloads.map((p) => wal.append(p)));
  await wal.close();
  const again = await Wal.open({ dir, fsync: false });
  assert.deepEqual(text(again.records), payloads.map(String));
  await again.wal.close();
});

test('onDurable sees each group once, in LSN order, before the callers resolve', async () => {
  const dir = tmp();
  const seen: Array<[string[], number]> = [];
  const { wal } = await Wal.open<string>({ dir, fsync: false, onDurable: (items, last) => seen.push([items, last]) });
  let resolvedEarly = false;
  const a = wal.append(Buffer.from('a'), 'a');
  const b = wal.append(Buffer.from('b'), 'b').then(() => {
    resolvedEarly = seen.length === 0;
  });
  await Promise.all([a, b]);
  assert.equal(resolvedEarly, false);
  assert.deepEqual(seen, [[['a', 'b'], 2]]);
  await wal.close();
});

async function threeRecords(): Promise<{ dir: string; lastFrameStart: number; size: number }> {
  const dir = tmp();
  const { wal } = await Wal.open({ dir, fsync: false });
  await wal.append(Buffer.from('first'));
  await wal.append(Buffer.from('second'));
  await wal.append(Buffer.from('the third record'));
  await wal.close();
  const [seg] = segments(dir);
  const size = statSync(join(dir, seg!)).size;
  return { dir, lastFrameStart: size - FRAME_HEADER_BYTES - 'the third record'.length, size };
}

test('a tail torn anywhere inside the last frame is cut; earlier records survive; appends continue cleanly', async () => {
  const { dir, lastFrameStart, size } = await threeRecords();
  for (const cut of [lastFrameStart + 1, lastFrameStart + 7, lastFrameStart + FRAME_HEADER_BYTES, size - 1]) {
    const copy = tmp();
    cpSync(dir, copy, { recursive: true });
    const seg = join(copy, segments(copy)[0]!);
    truncateSync(seg, cut);
    const { wal, records, problems } = await Wal.open({ dir: copy, fsync: true });
    assert.deepEqual(text(records), ['first', 'second'], `cut at ${cut}`);
    assert.equal(problems.length, 1);
    assert.equal(problems[0]!.action, 'truncated');
    assert.equal(problems[0]!.offset, lastFrameStart);
    assert.equal(statSync(seg).size, lastFrameStart, 'the file is cut at the last good frame');
    await wal.append(Buffer.from('after the crash'));
    await wal.close();
    const again = await Wal.open({ dir: copy, fsync: false });
    assert.deepEqual(again.problems, []);
    assert.deepEqual(text(again.records), ['first', 'second', 'after the crash']);
    assert.ok(again.records[2]!.lsn > again.records[1]!.lsn);
    await again.wal.close();
  }
});

test('a zero-filled tail (file extended but never written) is cut like a torn one', async () => {
  const { dir, size } = await threeRecords();
  const seg = join(dir, segments(dir)[0]!);
  writeFileSync(seg, Buffer.concat([readFileSync(seg), Buffer.alloc(4096)]));
  const { wal, records, problems } = await Wal.open({ dir, fsync: false });
  assert.equal(records.length, 3);
  assert.equal(problems[0]?.action, 'truncated');
  assert.equal(statSync(seg).size, size);
  await wal.close();
});

test('a flipped bit fails the checksum: in the last segment the tail is cut', async () => {
  const { dir, lastFrameStart } = await threeRecords();
  const seg = join(dir, segments(dir)[0]!);
  const bytes = readFileSync(seg);
  bytes[lastFrameStart + FRAME_HEADER_BYTES + 3]! ^= 0x10;
  writeFileSync(seg, bytes);
  const { wal, records, problems } = await Wal.open({ dir, fsync: false });
  assert.deepEqual(text(records), ['first', 'second']);
  assert.match(problems[0]!.reason, /checksum/);
  assert.equal(problems[0]!.action, 'truncated');
  await wal.close();
});

test('corruption inside an older segment keeps the records before it and reads the later segments', async () => {
  const { dir } = await threeRecords();
  const older = join(dir, segments(dir)[0]!);
  const { wal } = await Wal.open({ dir, fsync: false });
  await wal.append(Buffer.from('next segment'));
  await wal.close();
  const bytes = readFileSync(older);
  const second = SEGMENT_HEADER_BYTES + FRAME_HEADER_BYTES + 'first'.length;
  bytes[second + 9]! ^= 0x01; // inside the LSN of 'second'
  writeFileSync(older, bytes);
  const again = await Wal.open({ dir, fsync: false });
  assert.deepEqual(text(again.records), ['first', 'next segment']);
  assert.equal(again.problems.length, 1);
  assert.equal(again.problems[0]!.action, 'skipped');
  assert.equal(again.problems[0]!.segment, older);
  assert.equal(again.problems[0]!.offset, second);
  await again.wal.close();
});

test('segments rotate past segmentBytes; release deletes only segments whose records are all covered', async () => {
  const dir = tmp();
  const payload = Buffer.alloc(100, 1);
  // Room for two 116-byte frames after the 16-byte header.
  const { wal } = await Wal.open({ dir, fsync: false, segmentBytes: SEGMENT_HEADER_BYTES + 2 * 116 });
  for (let i = 0; i < 7; i++) await wal.append(payload);
  assert.deepEqual(segments(dir).length, 4, 'LSNs 1-2, 3-4, 5-6, 7');
  await wal.release(3);
  assert.equal(segments(dir).length, 3, 'only the segment of 1-2 is gone (3-4 still holds 4)');
  await wal.release(7);
  assert.equal(segments(dir).length, 1, 'the covered current segment is sealed and deleted; a fresh one remains');
  await wal.close();
  const again = await Wal.open({ dir, fsync: false });
  assert.deepEqual(again.records, []);
  await again.wal.append(payload);
  assert.equal(again.wal.lastLsn, 8, 'the LSN sequence survives the release of every record');
  await again.wal.close();
});

test('a failed write (disk full) rejects its callers with WalWriteError; partial bytes are cut; the next append succeeds', async () => {
  const dir = tmp();
  const fs = faultyFs();
  const { wal } = await Wal.open({ dir, fsync: true, fs });
  await wal.append(Buffer.from('before'));
  fs.failNext('ENOSPC', true);
  const failed = await Promise.allSettled([wal.append(Buffer.from('lost 1')), wal.append(Buffer.from('lost 2'))]);
  for (const f of failed) {
    assert.equal(f.status, 'rejected');
    assert.ok((f as PromiseRejectedResult).reason instanceof WalWriteError);
    assert.equal(((f as PromiseRejectedResult).reason as WalWriteError).code, 'ENOSPC');
  }
  await wal.append(Buffer.from('after'));
  await wal.close();
  const again = await Wal.open({ dir, fsync: false });
  assert.deepEqual(again.problems, [], 'no garbage between records');
  assert.deepEqual(text(again.records), ['before', 'after']);
  await again.wal.close();
});

test('on a real full file system (tmpfs) the write fails with ENOSPC and the WAL recovers once space is freed', {
  skip: process.getuid?.() !== 0 ? 'needs root to mount a tmpfs' : false,
}, async (t) => {
  const mnt = tmp();
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', mnt], { stdio: 'ignore' });
  } catch {
    t.skip('mount is not permitted here');
    return;
  }
  try {
    const dir = join(mnt, 'wal');
    mkdirSync(dir);
    const { wal } = await Wal.open({ dir, fsync: true });
    await wal.append(Buffer.from('small'));
    writeFileSync(join(mnt, 'filler'), Buffer.alloc(40 * 1024));
    const big = wal.append(Buffer.alloc(48 * 1024, 7));
    // ENOSPC, or a short write when the device took part of the frame first.
    await assert.rejects(big, (e) => e instanceof WalWriteError && ['ENOSPC', 'SHORT_WRITE'].includes(e.code));
    rmSync(join(mnt, 'filler'));
    await wal.append(Buffer.from('after'));
    await wal.close();
    const again = await Wal.open({ dir, fsync: false });
    assert.deepEqual(again.problems, []);
    assert.deepEqual(text(again.records), ['small', 'after']);
    await again.wal.close();
  } finally {
    execFileSync('umount', [mnt]);
  }
});

test('when the bad tail cannot be truncated the WAL moves to a new segment (even if opening it fails once)', async () => {
  const dir = tmp();
  const fs = faultyFs();
  const { wal } = await Wal.open({ dir, fsync: false, fs });
  await wal.append(Buffer.from('before'));
  fs.failNext('EIO', true);
  fs.failTruncates = true;
  fs.failOpens = 1;
  await assert.rejects(wal.append(Buffer.from('lost')), WalWriteError);
  fs.failTruncates = false;
  await wal.append(Buffer.from('after'));
  assert.equal(segments(dir).length, 2);
  const onDisk = segments(dir).reduce((n, f) => n + statSync(join(dir, f)).size, 0);
  assert.equal(wal.bytes, onDisk - 10, 'the 10 garbage bytes are not counted as records');
  await wal.close();
  const again = await Wal.open({ dir, fsync: false });
  assert.deepEqual(text(again.records), ['before', 'after']);
  assert.equal(again.problems.length, 1);
  assert.equal(again.problems[0]!.action, 'skipped');
  await again.wal.close();
});
