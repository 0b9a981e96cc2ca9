import { accessSync, constants } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { CliError, CliErrorCode, badFlag } from '../errors/cli-error.js';
import { artifactPaths } from './artifact-paths.js';
import { kindOf, statOrNull } from './regular-file.js';

/**
 * Checks before training that the checkpoint can be written where `--out` says, so a typo in the
 * path fails in a second instead of after the first epoch. Refuses to replace anything that
 * exists and is not a regular file — the atomic rename would otherwise turn /dev/null or a FIFO
 * into a checkpoint — for the checkpoint and for the side files written next to it (metrics CSV,
 * loss chart). Creates nothing.
 */
export function checkOutPath(out: string): void {
  if (out.trim() === '') throw badFlag("--out: '' is not a file name; try --out model.safetensors");
  const fail = (why: string) => {
    throw new CliError(CliErrorCode.OUT_NOT_WRITABLE, `cannot write checkpoint ${out}: ${why}`);
  };
  const existing = statOrNull(out);
  if (existing?.isDirectory()) fail(`it is a folder; give a file name such as ${resolve(out, 'model.safetensors')}`);
  const paths = artifactPaths(out);
  for (const path of [paths.checkpoint, paths.metricsCsv, paths.lossSvg]) {
    const stats = statOrNull(path);
    if (stats && !stats.isFile()) {
      fail(`${path === out ? 'it' : path} is ${kindOf(stats)}, not a regular file, and is never replaced; choose another --out`);
    }
  }
  const folder = dirname(resolve(out));
  const parent = statOrNull(folder);
  if (!parent) fail(`the folder ${folder} does not exist`);
  if (!parent!.isDirectory()) fail(`${folder} is not a folder`);
  try {
    accessSync(folder, constants.W_OK);
  } catch {
    fail(`the folder ${folder} is not writable`);
  }
}
