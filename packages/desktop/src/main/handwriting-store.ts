import { lstat, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { atomicWriteFile } from '@scratchnet/model-format/node';
import { DesktopError, DesktopErrorCode } from '../shared/desktop-error.js';
import {
  DIGIT_PIXELS,
  decodeHandwritingFiles,
  encodeHandwritingFiles,
  HANDWRITING_FILE_NAMES,
  type HandwritingSplits,
  MAX_HANDWRITING_DIGITS,
  type StoredHandwriting,
} from '../shared/handwriting-files.js';
import type { NamedBytes } from '../shared/idx-pair.js';
import type { HandwritingStore } from './host-services.js';
import { checkWritableTarget, fileAccess, readRegularFile } from './regular-file.js';

/** The folder inside the app's data folder (Electron's userData) that holds the drawings. */
export const HANDWRITING_FOLDER = 'handwriting';

const FILE_CAP = MAX_HANDWRITING_DIGITS * DIGIT_PIXELS + 16;
const REPAIR_HINT = 'delete or move the files in that folder to start a new set';

/**
 * The user's drawings as the four standard IDX files in `<data folder>/handwriting`, the folder
 * `scratchnet-cli train/eval --data-dir` reads. No path comes from the page: the folder is the
 * app's own and the names are fixed. Reads take regular files only (capped); each file is
 * replaced atomically (temporary file, fsync, rename) and never written through a symbolic link;
 * saves run one at a time, in the order they arrive. `dataFolder` is asked lazily, when the
 * first message comes (Electron knows it only once the app is ready).
 */
export function createHandwritingStore(dataFolder: () => string): HandwritingStore {
  const folder = () => join(dataFolder(), HANDWRITING_FOLDER);
  let queue: Promise<unknown> = Promise.resolve();
  const serially = <T>(work: () => Promise<T>): Promise<T> => {
    const next = queue.then(work, work);
    queue = next.catch(() => undefined);
    return next;
  };

  return {
    load: () =>
      serially(async (): Promise<StoredHandwriting> => {
        const dir = folder();
        const files: NamedBytes[] = [];
        if (await checkFolder(dir, false)) {
          for (const name of Object.values(HANDWRITING_FILE_NAMES)) {
            const path = join(dir, name);
            if (!(await exists(path))) continue;
            files.push({ name, bytes: await readRegularFile(path, FILE_CAP, REPAIR_HINT) });
          }
        }
        try {
          return { ...(await decodeHandwritingFiles(files)), location: dir };
        } catch (error) {
          throw new DesktopError(DesktopErrorCode.INVALID_FILE, `${dir}: ${(error as Error).message}; ${REPAIR_HINT}`, { cause: error });
        }
      }),
    save: (splits: HandwritingSplits) =>
      serially(async () => {
        const dir = folder();
        const files = encodeHandwritingFiles(splits);
        await checkFolder(dir, true);
        for (const file of files) await checkWritableTarget(join(dir, file.name));
        for (const file of files) {
          await fileAccess(`save ${file.name}`, () => atomicWriteFile(join(dir, file.name), file.bytes, { what: 'IDX file' }));
        }
        return { location: dir };
      }),
  };
}

/**
 * Whether the folder exists (creating it when `create`); a symbolic link or anything else in its
 * place is refused, so the drawings never land somewhere the link points.
 */
async function checkFolder(dir: string, create: boolean): Promise<boolean> {
  const stats = await fileAccess(`open ${dir}`, () => lstat(dir).catch((error: NodeJS.ErrnoException) => (error.code === 'ENOENT' ? null : Promise.reject(error))));
  if (!stats) {
    if (!create) return false;
    await fileAccess(`create ${dir}`, () => mkdir(dir, { recursive: true, mode: 0o700 }));
    return true;
  }
  if (!stats.isDirectory()) {
    throw new DesktopError(DesktopErrorCode.INVALID_FILE, `${dir} is not a folder (a symbolic link or a file is in its place); move it away so the app can keep your drawings there`);
  }
  return true;
}

async function exists(path: string): Promise<boolean> {
  return lstat(path).then(
    () => true,
    (error: NodeJS.ErrnoException) => (error.code === 'ENOENT' ? false : Promise.reject(error)),
  );
}
