import type { Stats } from 'node:fs';
import { type FileHandle, constants, lstat, open, stat } from 'node:fs/promises';
import { FormatError, FormatErrorCode } from './errors.js';

/** Largest file {@link readRegularFile} reads by default (2 GiB, a Node Buffer limit anyway). */
export const DEFAULT_MAX_FILE_BYTES = 2 ** 31 - 1;

export interface ReadRegularFileOptions {
  /** Refuse files larger than this many bytes (FILE_TOO_LARGE). Default {@link DEFAULT_MAX_FILE_BYTES}. */
  maxBytes?: number;
  /** What the file is, for messages: 'checkpoint', '--config file', 'PNG image'… Default 'file'. */
  what?: string;
}

/**
 * Reads a whole file that must be a regular file of at most `maxBytes` bytes. A FIFO, device,
 * socket or directory (or a symlink to one) is refused with NOT_A_REGULAR_FILE before it is
 * opened, so a FIFO cannot block the read and /dev/zero cannot grow memory without end; the file
 * is opened non-blocking and checked again, in case the path was swapped in between. Reads at most
 * the size it had when opened.
 *
 * @throws FormatError NOT_A_REGULAR_FILE, FILE_TOO_LARGE, TRUNCATED (it shrank while being read) or IO_ERROR.
 */
export async function readRegularFile(path: string, options: ReadRegularFileOptions = {}): Promise<Uint8Array> {
  const what = options.what ?? 'file';
  const { handle, size } = await openRegularFile(path, what, options.maxBytes ?? DEFAULT_MAX_FILE_BYTES);
  try {
    return await readAt(handle, 0, size, path, what);
  } finally {
    await handle.close();
  }
}

/**
 * Opens `path` for reading after checking that it is a regular file of at most `maxBytes` bytes
 * (see {@link readRegularFile}); returns the handle and the file's size, which the caller closes.
 */
export async function openRegularFile(path: string, what: string, maxBytes: number): Promise<{ handle: FileHandle; size: number }> {
  checkReadable(await attempt(() => stat(path), 'read', what, path), path, what, maxBytes);
  // O_NONBLOCK: if a FIFO was swapped in after the check, opening it still returns at once.
  const handle = await attempt(() => open(path, constants.O_RDONLY | constants.O_NONBLOCK), 'read', what, path);
  try {
    const stats = await attempt(() => handle.stat(), 'read', what, path);
    checkReadable(stats, path, what, maxBytes);
    return { handle, size: stats.size };
  } catch (error) {
    await handle.close();
    throw error;
  }
}

/** `length` bytes of the file from `position`; TRUNCATED if it ends sooner (it shrank while being read). */
export async function readAt(handle: FileHandle, position: number, length: number, path: string, what: string): Promise<Uint8Array> {
  const bytes = new Uint8Array(length);
  for (let done = 0; done < length; ) {
    const { bytesRead } = await attempt(() => handle.read(bytes, done, Math.min(length - done, 1 << 24), position + done), 'read', what, path);
    if (bytesRead === 0) {
      throw new FormatError(FormatErrorCode.TRUNCATED, `${what} ${path} ended after ${position + done} bytes while being read: it was cut off or is being written; try again`);
    }
    done += bytesRead;
  }
  return bytes;
}

/**
 * Refuses to replace `path` unless it is missing or a regular file (or a symlink to one, or a
 * dangling symlink): a save renames a new file over the path, which would turn /dev/null into a
 * regular file or swallow a FIFO or socket another program uses.
 *
 * @throws FormatError NOT_A_REGULAR_FILE, or IO_ERROR when the path cannot be examined.
 */
export async function checkReplaceable(path: string, what = 'file'): Promise<void> {
  let stats: Stats;
  try {
    stats = await lstat(path);
    if (stats.isSymbolicLink()) stats = await stat(path);
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'ENOENT') return; // new file, or a dangling symlink
    throw ioError('write', what, path, cause);
  }
  if (!stats.isFile()) {
    throw new FormatError(
      FormatErrorCode.NOT_A_REGULAR_FILE,
      `cannot write ${what} ${path}: it is ${kindOf(stats)}, not a regular file, and saving would replace it; ` +
        'choose the path of a regular file or of a new one',
    );
  }
}

function checkReadable(stats: Stats, path: string, what: string, maxBytes: number): void {
  if (!stats.isFile()) {
    throw new FormatError(
      FormatErrorCode.NOT_A_REGULAR_FILE,
      `cannot read ${what} ${path}: it is ${kindOf(stats)}, not a regular file; give the path of a regular file ` +
        '(pipes, devices, sockets and directories are refused: reading them can block or never end)',
    );
  }
  if (stats.size > maxBytes) {
    throw new FormatError(FormatErrorCode.FILE_TOO_LARGE, `${what} ${path} is ${stats.size} bytes, over the ${maxBytes}-byte limit; check that it is the right file (raise the limit if it is genuine)`);
  }
}

function kindOf(stats: Stats): string {
  if (stats.isDirectory()) return 'a directory';
  if (stats.isFIFO()) return 'a FIFO (named pipe)';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isSocket()) return 'a socket';
  return 'not a regular file';
}

async function attempt<T>(operation: () => Promise<T>, action: 'read' | 'write', what: string, path: string): Promise<T> {
  try {
    return await operation();
  } catch (cause) {
    throw ioError(action, what, path, cause);
  }
}

/** An IO_ERROR FormatError naming the file and what to do; FormatErrors pass through. */
export function ioError(action: 'read' | 'write', what: string, path: string, cause: unknown): FormatError {
  if (cause instanceof FormatError) return cause;
  const code = (cause as NodeJS.ErrnoException)?.code;
  const hint =
    code === 'ENOENT' ? (action === 'read' ? 'check the path' : 'create the directory first')
    : code === 'EACCES' || code === 'EPERM' ? 'check the file permissions'
    : code === 'ENOSPC' ? 'free some disk space'
    : 'check the path and try again';
  return new FormatError(FormatErrorCode.IO_ERROR, `cannot ${action} ${what} ${path}: ${(cause as Error)?.message ?? cause}; ${hint}`, { cause });
}
