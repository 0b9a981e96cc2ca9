import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseIdx } from '@scratchnet/datasets';
import type { DatasetBytes } from '../../src/shared/bridge-api.js';
import { packageRoot } from './fixtures.js';

/** The offline digits as the app ships them (generated from the `mnist` package if missing). */
export function offlineDigits(): { train: DatasetBytes; test: DatasetBytes } {
  execFileSync(process.execPath, [join(packageRoot, 'scripts/generate-offline-digits.mjs')]);
  const dir = join(packageRoot, 'src/generated/public/offline-digits');
  const split = (prefix: string): DatasetBytes => {
    const images = parseIdx(readFileSync(join(dir, `${prefix}-images-idx3-ubyte`)));
    const labels = parseIdx(readFileSync(join(dir, `${prefix}-labels-idx1-ubyte`)));
    return { source: prefix, count: images.dims[0], rows: 28, cols: 28, images: images.data as Uint8Array, labels: labels.data as Uint8Array };
  };
  return { train: split('train'), test: split('t10k') };
}
