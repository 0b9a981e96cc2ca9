import { type DatasetSpec, registerDataset } from '@scratchnet/datasets/node';
import { CliError, CliErrorCode } from '../errors/cli-error.js';
import { readRegularFileSync } from './regular-file.js';

/** Largest SCRATCHNET_DATASETS file read: a data set spec is about 1 KB. */
const MAX_SPEC_BYTES = 1 << 20;

/**
 * Registers extra data sets (e.g. KMNIST, or a small set served from a local mirror) from the
 * JSON file named by SCRATCHNET_DATASETS: an array of DatasetSpec objects with their own file
 * digests and mirrors. Every command (and every tune worker, which inherits the environment)
 * then knows them by name, and downloads and the cache verify them like the built-in ones.
 */
export function registerCustomDatasets(env: NodeJS.ProcessEnv = process.env): void {
  const path = env.SCRATCHNET_DATASETS;
  if (!path) return;
  const text = readRegularFileSync(path, 'SCRATCHNET_DATASETS', MAX_SPEC_BYTES).toString('utf8');
  let specs: unknown;
  try {
    specs = JSON.parse(text);
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
