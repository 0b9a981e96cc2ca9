import { randomBytes } from 'node:crypto';
import { open, readdir, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { checkReplaceable } from './regular-file.js';

/** Bytes written per `write` call; bounded so huge files do not need one giant syscall. */
const CHUNK_BYTES = 1 << 20;

/**
 * Replaces `path` with `bytes` so that a crash at any moment leaves either the old file or the
 * new one, never a mixture: write a temporary file in the same directory, fsync it, rename it
 * over `path` (atomic on POSIX and NTFS), then fsync the directory so the rename itself is durable.
 *
 * Only a regular file (or a symlink to one) is ever replaced: if `path` is a device, FIFO, socket
 * or directory, or a symlink to one, it is left untouched and a FormatError NOT_A_REGULAR_FILE is
 * thrown before anything is written (as root, renaming over /dev/null would replace the device).
 * The check and the rename are separate steps, so a path swapped in between is not caught.
 *
 * @param options.what What the file is, for messages ('checkpoint', 'metrics CSV'…). Default 'file'.
 * @throws FormatError NOT_A_REGULAR_FILE; the file system's own errors otherwise.
 */
export async function atomicWriteFile(path: string, bytes: Uint8Array, options: { what?: string } = {}): Promise<void> {
  await checkReplaceable(path, options.what);
  const directory = dirname(path);
  const temporary = join(directory, `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await open(temporary, 'wx', 0o644);
  try {
    try {
      for (let offset = 0; offset < bytes.length; ) {
        const { bytesWritten } = await handle.write(bytes, offset, Math.min(CHUNK_BYTES, bytes.length - offset));
        offset += bytesWritten;
      }
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, path);
  } catch (error) {
    await unlink(temporary).catch(() => {});
    throw error;
  }
  await syncDirectory(directory);
  await removeOrphanedTemporaries(directory, basename(path));
}

/**
 * Deletes temporary files that earlier saves of the same file left when their process was killed
 * mid-write. A temporary is orphaned when the process id in its name no longer runs; one of a
 * live process (another save in progress) is left alone.
 */
async function removeOrphanedTemporaries(directory: string, name: string): Promise<void> {
  const prefix = `.${name}.`;
  let entries: string[];
  try {
    entries = await readdir(directory);
  } catch {
    return;
  }
  for (const entry of entries) {
    if (!entry.startsWith(prefix) || !entry.endsWith('.tmp')) continue;
    const match = /^(\d+)\.[0-9a-f]+\.tmp$/.exec(entry.slice(prefix.length));
    if (!match || processIsRunning(Number(match[1]))) continue;
    await unlink(join(directory, entry)).catch(() => {});
  }
}

function processIsRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, as another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function syncDirectory(directory: string): Promise<void> {
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(directory, 'r');
    await handle.sync();
  } catch (error) {
    // Windows cannot open or fsync a directory; the rename is still atomic there.
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EISDIR' && code !== 'EPERM' && code !== 'EACCES' && code !== 'EINVAL') throw error;
  } finally {
    await handle?.close();
  }
}
