import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { CliError, CliErrorCode } from '../errors/cli-error.js';

/**
 * The PNG files `predict` reads: each argument as given, except that a folder stands for every
 * `.png` under it (subfolders too), in sorted order so runs and `--json` lines are reproducible.
 */
export function expandImagePaths(paths: readonly string[]): string[] {
  const files: string[] = [];
  for (const path of paths) {
    let isFolder = false;
    try {
      isFolder = statSync(path).isDirectory();
    } catch {
      // Not there: readPng says so with the file's name.
    }
    if (!isFolder) {
      files.push(path);
      continue;
    }
    const found = pngFilesUnder(path);
    if (found.length === 0) throw new CliError(CliErrorCode.FILE_NOT_FOUND, `folder '${path}' holds no .png files to classify`);
    files.push(...found);
  }
  return files;
}

function pngFilesUnder(folder: string): string[] {
  const out: string[] = [];
  const entries = readdirSync(folder, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) out.push(...pngFilesUnder(path));
    else if (entry.isFile() && entry.name.toLowerCase().endsWith('.png')) out.push(path);
  }
  return out;
}
