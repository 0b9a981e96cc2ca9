import { constants, type Stats } from 'node:fs';
import { type FileHandle, open, stat } from 'node:fs/promises';
import { DatasetError, DatasetErrorCode } from '../errors.js';

/** What a non-regular file is, in words a user recognises. */
export function fileKind(info: Stats): string {
  if (info.isDirectory()) return 'a directory';
  if (info.isFIFO()) return 'a FIFO (named pipe)';
  if (info.isCharacterDevice()) return 'a character device';
  if (info.isBlockDevice()) return 'a block device';
  if (info.isSocket()) return 'a socket';
  return 'not a regular file';
}

function notAFile(path: string, info: Stats): DatasetError {
  return new DatasetError(
    DatasetErrorCode.NOT_A_FILE,
    `${path}: is ${fileKind(info)}, not a regular file; point at the real data file (or copy it there)`,
    { file: path },
  );
}

/**
 * Opens a data file for reading only if it is a regular file (symlinks to one are fine). The
 * type is checked before opening — so a FIFO is never opened for reading (that open would wait
 * for a writer) and /dev/zero is never read — and again on the open handle, opened with
 * O_NONBLOCK, in case the path was swapped in between. Returns the handle and the file's length.
 */
export async function openRegularFile(path: string): Promise<{ handle: FileHandle; size: number }> {
  const info = await stat(path).catch((cause) => {
    throw new DatasetError(DatasetErrorCode.NOT_AVAILABLE, `${path}: cannot read (${(cause as Error).message})`, { file: path, cause });
  });
  if (!info.isFile()) throw notAFile(path, info);
  const handle = await open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0)).catch((cause) => {
    throw new DatasetError(DatasetErrorCode.NOT_AVAILABLE, `${path}: cannot read (${(cause as Error).message})`, { file: path, cause });
  });
  const opened = await handle.stat();
  if (!opened.isFile()) {
    await handle.close();
    throw notAFile(path, opened);
  }
  return { handle, size: opened.size };
}

/** Reads `handle` from the start in chunks of up to `chunkBytes`, stopping at `size` (the length seen at open). */
export async function* readChunks(handle: FileHandle, size: number, chunkBytes = 1 << 20): AsyncGenerator<Uint8Array> {
  let position = 0;
  while (position < size) {
    const buffer = new Uint8Array(Math.min(chunkBytes, size - position));
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, position);
    if (bytesRead === 0) return;
    position += bytesRead;
    yield bytesRead === buffer.length ? buffer : buffer.subarray(0, bytesRead);
  }
}
