import { readFileSync } from 'node:fs';
import { type DatasetSpec, registerDataset } from '@scratchnet/datasets/node';
import { CliError, CliErrorCode } from '../errors/cli-error.js';

/**
 * Registers extra data sets (e.g. KMNIST, or a small set served from a local mirror) from the
 * JSON file named by SCRATCHNET_DATASETS: an array of DatasetSpec objects with their own file
 * digests and mirrors. Every command (and every tune worker, which inherits the environment)
 * then knows them by name, and downloads and the cache verify them like the built-in ones.
 */
export function registerCustomDatasets(env: NodeJS.ProcessEnv = process.env): void {
  const path = env.SCRATCHNET_DATASETS;
  if (!path) return;
  let specs: unknown;
  try {
    specs = JSON.parse(readFileSync(path, 'utf8'));
  } catch (cause) {
    throw new CliError(CliErrorCode.BAD_CONFIG_FILE, `SCRATCHNET_DATASETS=${path}: cannot read it as JSON (${(cause as Error).message})`, { cause });
  }
  if (!Array.isArray(specs)) {
    throw new CliError(CliErrorCode.BAD_CONFIG_FILE, `SCRATCHNET_DATASETS=${path}: expected a JSON array of data set specs`);
  }
  for (const spec of specs as DatasetSpec[]) {
    if (!spec || typeof spec.name !== 'string' || !Array.isArray(spec.classNames) || !spec.files) {
      throw new CliError(CliErrorCode.BAD_CONFIG_FILE, `SCRATCHNET_DATASETS=${path}: each entry needs name, classNames, imageShape, files and mirrors`);
    }
    registerDataset(spec);
  }
}
