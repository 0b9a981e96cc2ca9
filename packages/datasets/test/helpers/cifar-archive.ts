import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { create } from 'tar';
import { type ArchiveDatasetSpec, CIFAR10, recordBytes } from '../../src/node.js';
import { tempDir } from './fixture-dataset.js';

/** Synthetic CIFAR-10 archives in the real layout, with a spec holding their real MD5 (the tests' stand-in for the published one). */
export const RECORDS = 12;

/** CIFAR binary records: label i % 10, then R, G and B planes where plane k of record i is filled with (i·7 + k) % 256. */
export function batch(first: number, count: number): Buffer {
  const size = recordBytes(CIFAR10);
  const bytes = Buffer.alloc(count * size);
  for (let r = 0; r < count; r++) {
    const i = first + r;
    bytes[r * size] = i % 10;
    for (let k = 0; k < 3; k++) bytes.fill((i * 7 + k) % 256, r * size + 1 + k * 1024, r * size + 1 + (k + 1) * 1024);
  }
  return bytes;
}

/** A small archive laid out as the real one (cifar-10-batches-bin/…), its spec with the archive's real MD5, and the folder it was made from. */
export async function makeArchive(options: { shortTestBatch?: boolean } = {}): Promise<{ spec: ArchiveDatasetSpec; archive: Buffer; source: string }> {
  const source = await tempDir('scratchnet-cifar-src-');
  const inner = join(source, 'cifar-10-batches-bin');
  await mkdir(inner);
  for (let b = 1; b <= 5; b++) await writeFile(join(inner, `data_batch_${b}.bin`), batch((b - 1) * RECORDS, RECORDS));
  await writeFile(join(inner, 'test_batch.bin'), batch(1000, options.shortTestBatch ? RECORDS - 1 : RECORDS));
  await writeFile(join(inner, 'batches.meta.txt'), `${CIFAR10.classNames.join('\n')}\n`);
  await writeFile(join(inner, 'readme.html'), '<p>synthetic</p>');
  const path = join(source, 'cifar-10-binary.tar.gz');
  await create({ gzip: true, file: path, cwd: source }, ['cifar-10-batches-bin']);
  const archive = await readFile(path);
  const md5 = createHash('md5').update(archive).digest('hex');
  const spec: ArchiveDatasetSpec = {
    ...CIFAR10,
    name: 'cifar-synthetic',
    archive: { fileName: CIFAR10.archive.fileName, compressed: [{ md5, source: 'test' }], compressedBytes: archive.length },
    recordsPerBatch: RECORDS,
    mirrors: [],
  };
  return { spec, archive, source };
}
