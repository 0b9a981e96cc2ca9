// Every test run gets its own cache root, so nothing can touch the real user cache even when a
// test forgets to pass cacheDir; mirror and offline overrides from the shell are cleared.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

process.env.SCRATCHNET_CACHE_DIR = mkdtempSync(join(tmpdir(), 'scratchnet-test-cache-'));
delete process.env.SCRATCHNET_MIRROR;
delete process.env.SCRATCHNET_OFFLINE;
