import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { CliError, CliErrorCode } from '../errors/cli-error.js';
import { PREDICT_IMAGE_EXTENSIONS } from './read-image.js';

/**
 * The image files `predict` reads: each argument as given, except that a folder stands for every
 * `.png`, `.jpg` and `.jpeg` under it (subfolders too), in sorted order so runs and `--json` lines
 * are reproducible.
 */
export function expandImagePaths(paths: readonly string[]): string[] {
  const files: string[] = [];
  for (const path of paths) {
    let isFolder = false;
    try {
      isFolder = statSync(path).isDirectory();
    } catch {
      // Not there: readImage says so with the file's name.
    }
    if (!isFolder) {
      files.push(path);
      continue;
    }
    const found = imageFilesUnder(path);
    if (found.length === 0) throw new CliError(CliErrorCode.FILE_NOT_FOUND, `folder '${path}' holds no .png, .jpg or .jpeg files to classify`);
    files.push(...found);
  }
  return files;
}

function imageFilesUnder(folder: string): string[] {
  const out: string[] = [];
  const entries = readdirSync(folder, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) out.push(...imageFilesUnder(path));
    else if (entry.isFile() && PREDICT_IMAGE_EXTENSIONS.some((ext) => entry.name.toLowerCase().endsWith(ext))) out.push(path);
  }
  return out;
}
