/** File moves and checks the backup and restore steps share. */
import { cp, readdir, rename, rm } from 'node:fs/promises';

/** Renames `from` to `to`; across filesystems (EXDEV), copies then removes. */
export async function move(from: string, to: string): Promise<void> {
  try {
    await rename(from, to);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EXDEV') throw e;
    await cp(from, to, { recursive: true });
    await rm(from, { recursive: true, force: true });
  }
}

/** Whether `dir` is missing or an empty directory (a file there counts as not empty). */
export async function isAbsentOrEmpty(dir: string): Promise<boolean> {
  try {
    return (await readdir(dir)).length === 0;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return true;
    if (code === 'ENOTDIR') return false;
    throw e;
  }
}
