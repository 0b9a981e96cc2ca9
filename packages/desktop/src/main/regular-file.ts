import { constants, type Stats } from 'node:fs';
import { lstat, open, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { DesktopError, DesktopErrorCode } from '../shared/desktop-error.js';

/**
 * Reading files a user picked, which may be anything: a FIFO (opening it for reading waits for a
 * writer forever), a device (/dev/zero never ends), a folder. The type is checked before the file
 * is opened; it is opened non-blocking, so a path swapped for a FIFO in between cannot hang us,
 * and checked again on the open handle (same file, still regular). Symbolic links are followed:
 * what counts is what they point at.
 */
export async function readRegularFile(path: string, cap: number, hint: string): Promise<Uint8Array> {
  const name = basename(path);
  const before = await fileAccess(`read ${name}`, () => stat(path));
  refuseUnlessRegular(name, before, hint);
  refuseIfLarger(name, before.size, cap, hint);
  const handle = await fileAccess(`read ${name}`, () => open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0)));
  try {
    const opened = await fileAccess(`read ${name}`, () => handle.stat());
    refuseUnlessRegular(name, opened, hint);
    if (opened.ino !== before.ino || opened.dev !== before.dev) {
      throw new DesktopError(DesktopErrorCode.FILE_ACCESS, `${name} was replaced while being opened; try again`);
    }
    refuseIfLarger(name, opened.size, cap, hint);
    // Never more than the size seen at open, even if the file grows while being read.
    const bytes = new Uint8Array(opened.size);
    let filled = 0;
    while (filled < bytes.length) {
      const { bytesRead } = await fileAccess(`read ${name}`, () => handle.read(bytes, filled, bytes.length - filled, filled));
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    return filled === bytes.length ? bytes : bytes.slice(0, filled);
  } finally {
    await handle.close();
  }
}

/**
 * Refuses to let a save replace anything but a regular file (or nothing): an atomic rename would
 * otherwise turn a FIFO or /dev/null into a checkpoint. Symbolic links are refused too, since the
 * rename would replace the link, not the file it names.
 */
export async function checkWritableTarget(path: string): Promise<void> {
  const name = basename(path);
  const existing = await fileAccess(`save ${name}`, () =>
    lstat(path).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return null;
      throw error;
    }),
  );
  if (existing && !existing.isFile()) {
    throw new DesktopError(DesktopErrorCode.INVALID_FILE, `${name} is not a regular file (${describeType(existing)}); choose another name to save the checkpoint`);
  }
}

function refuseUnlessRegular(name: string, stats: Stats, hint: string): void {
  if (!stats.isFile()) throw new DesktopError(DesktopErrorCode.INVALID_FILE, `${name} is not a regular file (${describeType(stats)}); ${hint}`);
}

function refuseIfLarger(name: string, size: number, cap: number, hint: string): void {
  if (size > cap) throw new DesktopError(DesktopErrorCode.INVALID_FILE, `${name} is ${size} bytes, more than the ${cap}-byte limit; ${hint}`);
}

function describeType(stats: Stats): string {
  if (stats.isFIFO()) return 'a FIFO';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isSocket()) return 'a socket';
  if (stats.isDirectory()) return 'a folder';
  if (stats.isSymbolicLink()) return 'a symbolic link';
  return 'not a plain file';
}

/** Runs a file operation, turning Node's errno errors into a FILE_ACCESS error that says what failed. */
export async function fileAccess<T>(what: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof DesktopError) throw error;
    const reason = (error as NodeJS.ErrnoException).code ?? (error instanceof Error ? error.message : String(error));
    throw new DesktopError(DesktopErrorCode.FILE_ACCESS, `Could not ${what} (${reason}); check the file exists and you may access it`, { cause: error });
  }
}
