// Every test run gets its own cache root, so nothing can touch the real user cache even when a
// test forgets to pass cacheDir; no system data dirs (a machine with Debian's
// dataset-fashion-mnist installed must give the same results as one without); mirror, offline
// and extra-data-set overrides from the shell are cleared.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

process.env.SCRATCHNET_CACHE_DIR = mkdtempSync(join(tmpdir(), 'scratchnet-test-cache-'));
process.env.SCRATCHNET_SYSTEM_DATA_DIRS = '';
delete process.env.SCRATCHNET_MIRROR;
delete process.env.SCRATCHNET_OFFLINE;
delete process.env.SCRATCHNET_DATASETS;
