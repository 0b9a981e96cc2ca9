// Preloaded with `node --import` into a process under test (e.g. the CLI): when it exits, writes
// its peak RSS in KiB to the file named by SCRATCHNET_TEST_RSS_FILE, so a test can bound the
// memory of a process whose code it does not control.
import { writeFileSync } from 'node:fs';

const out = process.env.SCRATCHNET_TEST_RSS_FILE;
if (out) process.on('exit', () => writeFileSync(out, String(process.resourceUsage().maxRSS)));
