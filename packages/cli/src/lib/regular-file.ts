import { type Stats, closeSync, constants, fstatSync, openSync, readSync, statSync } from 'node:fs';
import { CliError, CliErrorCode } from '../errors/cli-error.js';

/** What a non-regular file is, in words for an error message. */
export function kindOf(stats: Stats): string {
  if (stats.isDirectory()) return 'a folder';
  if (stats.isFIFO()) return 'a FIFO (named pipe)';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isSocket()) return 'a socket';
  return 'not a regular file';
}

/** `statSync` that returns null for a path that does not exist (or cannot be looked at). */
export function statOrNull(path: string): Stats | null {
  try {
    return statSync(path);
  } catch {
    return null;
  }
}

/**
 * Refuses a path that exists and is not a regular file (FIFO, device, socket, folder), before
 * anything opens it: a FIFO blocks an open or read forever, /dev/zero never ends.
 * `what` names the file in the message ("--config", "model file").
 */
export function refuseNonRegular(path: string, what: string): void {
  const stats = statOrNull(path);
  if (stats && !stats.isFile()) {
    throw new CliError(CliErrorCode.NOT_A_FILE, `${what} '${path}' is ${kindOf(stats)}, not a regular file`);
  }
}

/**
 * Reads a small file whole, refusing anything but a regular file of at most `maxBytes`. It is
 * opened with O_NONBLOCK (so a FIFO swapped in after a check cannot block the open) and checked
 * with fstat on the open descriptor, then read with a hard cap (a file that grows while read
 * still stops at `maxBytes + 1`).
 */
export function readRegularFileSync(path: string, what: string, maxBytes: number): Buffer {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    throw new CliError(CliErrorCode.FILE_NOT_FOUND, `${what}: cannot read '${path}' (${code === 'ENOENT' ? 'no such file' : (code ?? (cause as Error).message)})`, { cause });
  }
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) throw new CliError(CliErrorCode.NOT_A_FILE, `${what}: cannot read '${path}': it is ${kindOf(stats)}, not a regular file`);
    if (stats.size > maxBytes) throw tooLarge(path, what, maxBytes);
    let buffer = Buffer.alloc(Math.min(maxBytes + 1, stats.size + 4096));
    let length = 0;
    for (;;) {
      if (length === buffer.length) {
        // It grew while we read: keep going, but never past the cap.
        const bigger = Buffer.alloc(Math.min(maxBytes + 1, buffer.length * 2));
        buffer.copy(bigger, 0, 0, length);
        buffer = bigger;
      }
      const n = readSync(fd, buffer, length, buffer.length - length, null);
      if (n === 0) break;
      length += n;
      if (length > maxBytes) throw tooLarge(path, what, maxBytes);
    }
    return buffer.subarray(0, length);
  } finally {
    closeSync(fd);
  }
}

function tooLarge(path: string, what: string, maxBytes: number): CliError {
  return new CliError(CliErrorCode.FILE_TOO_LARGE, `${what}: '${path}' is larger than the ${maxBytes.toLocaleString('en-US')} bytes allowed`);
}
