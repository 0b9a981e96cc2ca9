// Run before every test file (vitest setupFiles): no system data dirs (so a machine with Debian's
// dataset-fashion-mnist in /usr/share/datasets behaves like one without), a cache of its own
// (never ~/.cache or $XDG_CACHE_HOME), and none of the shell's mirror, offline or extra-data-set
// overrides — for the tests and every child process that inherits their environment.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

process.env.SCRATCHNET_SYSTEM_DATA_DIRS = '';
process.env.SCRATCHNET_CACHE_DIR = mkdtempSync(join(tmpdir(), 'scratchnet-test-cache-'));
delete process.env.SCRATCHNET_MIRROR;
delete process.env.SCRATCHNET_OFFLINE;
delete process.env.SCRATCHNET_DATASETS;
