import { accessSync, constants, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { CliError, CliErrorCode } from '../errors/cli-error.js';

/**
 * Checks before training that the checkpoint can be written where `--out` says, so a typo in the
 * path fails in a second instead of after the first epoch. Creates nothing.
 */
export function checkOutPath(out: string): void {
  const fail = (why: string) => {
    throw new CliError(CliErrorCode.OUT_NOT_WRITABLE, `cannot write checkpoint ${out}: ${why}`);
  };
  const existing = statOrNull(out);
  if (existing?.isDirectory()) fail(`it is a folder; give a file name such as ${resolve(out, 'model.safetensors')}`);
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

function statOrNull(path: string): ReturnType<typeof statSync> | null {
  try {
    return statSync(path);
  } catch {
    return null;
  }
}
