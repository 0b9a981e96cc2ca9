import { exitQuietlyOnBrokenPipe } from './output/broken-pipe.js';
import { runCli } from './run-cli.js';

// The bin shim imports this file; everything testable lives in run-cli.ts.
exitQuietlyOnBrokenPipe();
process.exitCode = await runCli(process.argv.slice(2));
