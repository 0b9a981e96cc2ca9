// Child process for the kill -9 download test: loads the fixture data set described by the
// JSON spec at argv[2] into the cache at argv[3] from the mirror argv[4], then prints
// "loaded <source>". Prints "ready" once its modules are loaded and waits for a stdin line first.
import { readFileSync } from 'node:fs';
import { loadDataset } from '@scratchnet/datasets/node';

const [specPath, cacheDir, mirror] = process.argv.slice(2);
process.stdout.write('ready\n');
await new Promise((resolve) => process.stdin.once('data', resolve));
process.stdin.pause();
const spec = { ...JSON.parse(readFileSync(specPath, 'utf8')), mirrors: [mirror] };
const loaded = await loadDataset(spec, { cacheDir, systemDataDirs: [], retries: 0, timeoutMs: 10_000, offline: false, validationSplit: 0 });
process.stdout.write(`loaded ${loaded.source} ${loaded.train.size}\n`);
