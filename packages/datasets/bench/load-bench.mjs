// Time to load the 60,000-image Fashion-MNIST training set from the cache into float32
// (target < 1.5 s on 2 cores). Uses the real files in ../shared/data/fashion-mnist, imported
// into a temporary cache first; prints a skip line where they are absent.
// Run: pnpm --filter @scratchnet/datasets run bench   (after building the package)
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, '..', 'dist', 'node.js');
if (!existsSync(dist)) {
  console.error(`${dist} is missing: build first (npx -y pnpm@10 turbo run build --filter=@scratchnet/datasets...)`);
  process.exit(1);
}
const { importDataset, loadDataset } = await import(dist);
const dataDir = resolve(here, '..', '..', '..', '..', 'shared', 'data', 'fashion-mnist');
if (!existsSync(join(dataDir, 'train-images-idx3-ubyte.gz'))) {
  console.log(`load-bench: skipped (no Fashion-MNIST at ${dataDir})`);
  process.exit(0);
}

const cacheDir = await mkdtemp(join(tmpdir(), 'scratchnet-bench-'));
try {
  await importDataset('fashion-mnist', dataDir, { cacheDir });
  const runs = [];
  for (let run = 0; run < 5; run++) {
    const t0 = performance.now();
    const loaded = await loadDataset('fashion-mnist', { cacheDir, offline: true, systemDataDirs: [], validationSplit: 0 });
    const t1 = performance.now();
    const x = loaded.train.toFloat32();
    const t2 = performance.now();
    if (loaded.source !== 'cache' || x.length !== 60_000 * 784) throw new Error('unexpected load result');
    runs.push({ load: t1 - t0, float32: t2 - t1, total: t2 - t0 });
  }
  const median = (key) => runs.map((r) => r[key]).sort((a, b) => a - b)[runs.length >> 1];
  console.log('Fashion-MNIST train (60,000 × 784) from the cache, verified, into float32 — median of 5 runs');
  console.log(`  read + verify (sha256) + gunzip + parse, all 4 files: ${median('load').toFixed(0)} ms`);
  console.log(`  bytes → float32 [0,1] (188 MB):                      ${median('float32').toFixed(0)} ms`);
  console.log(`  total:                                               ${median('total').toFixed(0)} ms (target < 1500 ms)`);
  console.log(`  first run (cold): ${runs[0].total.toFixed(0)} ms`);
} finally {
  await rm(cacheDir, { recursive: true, force: true });
}
