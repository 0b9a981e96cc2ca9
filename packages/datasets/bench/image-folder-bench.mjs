// Time to load 60,000 28×28 PNGs as an image folder — cold (decoded on worker threads), then from
// the decoded-set cache — against reading the same images from their IDX files. The PNGs are the
// Fashion-MNIST training images from ../shared/data/fashion-mnist, written (untimed) into a temp
// folder, one subfolder per class. Prints a skip line where the files are absent.
// Run: node bench/image-folder-bench.mjs   (after building the package)
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PNG } from 'pngjs';

const here = dirname(fileURLToPath(import.meta.url));
const { FASHION_MNIST, loadDataset, loadImageFolder } = await import(join(here, '..', 'dist', 'node.js'));
const dataDir = resolve(here, '..', '..', '..', '..', 'shared', 'data', 'fashion-mnist');
if (!existsSync(join(dataDir, 'train-images-idx3-ubyte.gz'))) {
  console.log(`image-folder-bench: skipped (no Fashion-MNIST at ${dataDir})`);
  process.exit(0);
}

const seconds = (start) => ((performance.now() - start) / 1000).toFixed(2);
let start = performance.now();
const idx = await loadDataset('fashion-mnist', { dataDir, validationSplit: 0, systemDataDirs: [] });
const idxTime = seconds(start);
const train = idx.train;

const root = await mkdtemp(join(tmpdir(), 'scratchnet-png-bench-'));
const folder = join(root, 'fashion-png');
const cacheDir = join(root, 'cache');
try {
  for (const name of FASHION_MNIST.classNames) await mkdir(join(folder, name.replace('/', '-')), { recursive: true });
  start = performance.now();
  for (let i = 0; i < train.size; i++) {
    const { pixels, className } = train.image(i);
    const png = new PNG({ width: 28, height: 28, colorType: 0, inputColorType: 0, inputHasAlpha: false });
    png.data = Buffer.from(pixels);
    await writeFile(join(folder, className.replace('/', '-'), `${String(i).padStart(5, '0')}.png`), PNG.sync.write(png, { colorType: 0, inputColorType: 0, inputHasAlpha: false }));
  }
  console.log(`wrote ${train.size} PNGs in ${seconds(start)} s (untimed setup)`);

  start = performance.now();
  const cold = await loadImageFolder(folder, { cacheDir, testSplit: 0 });
  const coldTime = seconds(start);
  start = performance.now();
  const cached = await loadImageFolder(folder, { cacheDir, testSplit: 0 });
  const cachedTime = seconds(start);
  if (!cached.fromCache) throw new Error('second load did not come from the cache');
  console.log(`images: ${cold.train.size + cold.test.size} (${cold.shape.join('×')}); decode workers: ${Math.max(1, Math.min(8, availableParallelism()))} of ${availableParallelism()} cores`);
  console.log(`IDX (train-images + labels .gz):   ${idxTime} s`);
  console.log(`PNG folder, cold (decode + cache): ${coldTime} s`);
  console.log(`PNG folder, cached:                ${cachedTime} s`);
} finally {
  await rm(root, { recursive: true, force: true });
}
