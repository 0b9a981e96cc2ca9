import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { parseIdx } from '@scratchnet/datasets';
import type { DatasetBytes } from '../../src/shared/bridge-api.js';
import { packageRoot } from './fixtures.js';

/** The offline digits as the app ships them (copied from @scratchnet/datasets if missing). */
export function offlineDigits(): { train: DatasetBytes; test: DatasetBytes } {
  execFileSync(process.execPath, [join(packageRoot, 'scripts/generate-offline-digits.mjs')]);
  const dir = join(packageRoot, 'src/generated/public/offline-digits');
  const split = (prefix: string): DatasetBytes => {
    const images = parseIdx(gunzipSync(readFileSync(join(dir, `digits-${prefix}-images-idx3-ubyte.gz`))));
    const labels = parseIdx(gunzipSync(readFileSync(join(dir, `digits-${prefix}-labels-idx1-ubyte.gz`))));
    return { source: prefix, count: images.dims[0], rows: 28, cols: 28, images: images.data as Uint8Array, labels: labels.data as Uint8Array };
  };
  return { train: split('train'), test: split('test') };
}
