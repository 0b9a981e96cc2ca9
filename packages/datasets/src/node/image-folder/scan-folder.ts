import { statSync } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { DatasetError, DatasetErrorCode } from '../../errors.js';

/** Extensions read as images; anything else in a class folder is skipped and counted. */
export const IMAGE_EXTENSIONS = ['.png', '.jpg', '.jpeg'];

export interface ScannedFile {
  path: string;
  /** Path relative to the folder, for the cache key and messages. */
  relative: string;
  label: number;
  size: number;
  mtimeMs: number;
}

export interface ScannedFolder {
  classNames: string[];
  /** Files under train/ (or all files when there is no train/ and test/). */
  train: ScannedFile[];
  /** Files under test/, or undefined when the folder has no train/ and test/ split. */
  test?: ScannedFile[];
  /** Files in class folders that are not images by their extension, skipped. */
  nonImages: number;
  /** One of them, to name in the notice. */
  firstNonImage?: string;
}

const isHidden = (name: string) => name.startsWith('.');

async function subfolders(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  return entries.filter((e) => e.isDirectory() && !isHidden(e.name)).map((e) => e.name).sort();
}

/**
 * Reads an image folder's layout: one subfolder per class, optionally under train/ and test/.
 * Class order: classes.txt (one name a line) when present, else the folder names sorted.
 * Throws NOT_ENOUGH_DATA for fewer than two classes or a class with no images, and
 * INCONSISTENT when classes.txt and the folders disagree.
 */
export async function scanImageFolder(dir: string): Promise<ScannedFolder> {
  const top = await subfolders(dir).catch((cause) => {
    throw new DatasetError(DatasetErrorCode.NOT_AVAILABLE, `${dir}: cannot read the folder (${(cause as Error).message})`, { file: dir, cause });
  });
  const split = top.includes('train') && top.includes('test');
  const trainDir = split ? join(dir, 'train') : dir;
  const folderClasses = await subfolders(trainDir);
  const classNames = (await readClassList(dir)) ?? folderClasses;
  const unlisted = folderClasses.filter((name) => !classNames.includes(name));
  if (unlisted.length > 0) {
    throw new DatasetError(
      DatasetErrorCode.INCONSISTENT,
      `${join(dir, 'classes.txt')}: does not list the class folder${unlisted.length > 1 ? 's' : ''} ${unlisted.map((n) => `'${n}'`).join(', ')}; add ${unlisted.length > 1 ? 'them' : 'it'} or remove the folder`,
      { file: join(dir, 'classes.txt') },
    );
  }
  if (classNames.length < 2) {
    throw new DatasetError(
      DatasetErrorCode.NOT_ENOUGH_DATA,
      `${trainDir}: found ${classNames.length === 0 ? 'no class folders' : `one class folder ('${classNames[0]}')`}; a classifier needs at least two: put each class's images in a subfolder of its own (e.g. cats/, dogs/)`,
      { file: trainDir },
    );
  }
  const counter = { nonImages: 0, firstNonImage: undefined as string | undefined };
  const train = await listClassFiles(dir, trainDir, classNames, counter);
  const test = split ? await listClassFiles(dir, join(dir, 'test'), classNames, counter) : undefined;
  const perClass = new Array<number>(classNames.length).fill(0);
  for (const f of [...train, ...(test ?? [])]) perClass[f.label]++;
  const empty = classNames.filter((_, c) => perClass[c] === 0);
  if (empty.length > 0) {
    throw new DatasetError(
      DatasetErrorCode.NOT_ENOUGH_DATA,
      `${trainDir}: class${empty.length > 1 ? 'es' : ''} ${empty.map((n) => `'${n}'`).join(', ')} ha${empty.length > 1 ? 've' : 's'} no PNG or JPEG images; add images or remove the folder${empty.length > 1 ? 's' : ''}${existsHint(classNames, folderClasses)}`,
      { file: join(trainDir, empty[0]) },
    );
  }
  return { classNames, train, test, nonImages: counter.nonImages, firstNonImage: counter.firstNonImage };
}

function existsHint(classNames: string[], folders: string[]): string {
  const missing = classNames.filter((n) => !folders.includes(n));
  return missing.length > 0 ? ` (classes.txt lists ${missing.map((n) => `'${n}'`).join(', ')} but there is no such folder)` : '';
}

/** classes.txt: one class name a line, blank lines and surrounding spaces ignored; undefined when absent. */
async function readClassList(dir: string): Promise<string[] | undefined> {
  let text: string;
  try {
    text = await readFile(join(dir, 'classes.txt'), 'utf8');
  } catch {
    return undefined;
  }
  const names = text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '');
  const twice = names.find((n, i) => names.indexOf(n) !== i);
  if (twice) {
    throw new DatasetError(DatasetErrorCode.INCONSISTENT, `${join(dir, 'classes.txt')}: lists '${twice}' twice; list each class once`, { file: join(dir, 'classes.txt') });
  }
  return names;
}

/** Every file under each class folder (nested folders included), in a stable order. */
async function listClassFiles(
  root: string,
  splitDir: string,
  classNames: string[],
  counter: { nonImages: number; firstNonImage?: string },
): Promise<ScannedFile[]> {
  const files: ScannedFile[] = [];
  for (const [label, name] of classNames.entries()) {
    const classDir = join(splitDir, name);
    const entries = await readdir(classDir, { recursive: true, withFileTypes: true }).catch(() => []);
    const paths = entries
      .filter((e) => e.isFile())
      .map((e) => join(e.parentPath ?? (e as { path?: string }).path ?? classDir, e.name))
      .sort();
    for (const path of paths) {
      const lower = path.toLowerCase();
      if (!IMAGE_EXTENSIONS.some((ext) => lower.endsWith(ext))) {
        counter.nonImages++;
        counter.firstNonImage ??= relative(root, path);
        continue;
      }
      files.push({ path, relative: relative(root, path), label, size: 0, mtimeMs: 0 });
    }
  }
  // Sizes and times key the cache. statSync: for 60,000 files, one promise each costs more than the stat.
  for (const [i, f] of files.entries()) {
    const s = statSync(f.path);
    f.size = s.size;
    f.mtimeMs = s.mtimeMs;
    // Let timers and signals run now and then on a huge folder.
    if (i % 4096 === 4095) await new Promise((resolve) => setImmediate(resolve));
  }
  return files;
}
