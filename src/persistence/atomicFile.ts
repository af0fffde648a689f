// Writing a file so that a crash at any moment leaves either the old contents or the new:
// write a temp file next to it, flush it to disk, rename it over the old one, flush the directory.
import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { errorCode } from '../model/caughtError.js';

let counter = 0;

/** The suffix of temp files; a leftover one (a crash mid-write) is never read and is cleaned up. */
export const TEMP_SUFFIX = '.tmp';

export async function writeFileAtomic(path: string, text: string, options: { durable: boolean }): Promise<void> {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${++counter}${TEMP_SUFFIX}`);
  try {
    const handle = await open(temp, 'w');
    try {
      await handle.writeFile(text, 'utf8');
      if (options.durable) await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
  if (options.durable) await syncDirectory(dirname(path));
}

/** Makes a rename in `dir` durable (the new directory entry reaches the disk). */
export async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } catch (err) {
    // Some file systems cannot fsync a directory; the rename is still atomic there.
    if (errorCode(err) !== 'EINVAL' && errorCode(err) !== 'EISDIR') throw err;
  } finally {
    await handle.close();
  }
}
