import { CommanderError } from 'commander';
import { describeError } from './errors/describe-error.js';
import { printError, wantsJson } from './errors/print-error.js';
import { registerCustomDatasets } from './lib/custom-datasets.js';
import { createProgram } from './program.js';

/**
 * Parses `argv` (without node and script), runs the command and returns the exit status.
 * Errors are caught here once: one line saying what is wrong, one saying what to do, and a stack
 * trace only with --debug; with --json, one JSON object on stderr instead.
 */
export async function runCli(argv: string[]): Promise<number> {
  const debug = argv.includes('--debug');
  const json = wantsJson(argv);
  const args = argv.filter((a) => a !== '--debug');
  let usageError: string | undefined;
  try {
    // Custom data sets first: the help lists every known data set.
    registerCustomDatasets();
    const program = createProgram({
      // With --json a usage error becomes the JSON object below, not commander's text.
      onUsageError: json ? (message) => (usageError = message) : undefined,
    });
    await program.parseAsync(args, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander has printed its (one-line) message already; help and --version exit 0.
      if (error.exitCode === 0) return 0;
      if (json) printError({ code: 'cli/BAD_FLAG', exitCode: 2, message: (usageError ?? error.message).replace(/^error: /, '') }, { json });
      return 2;
    }
    const report = describeError(error);
    printError(report, { json, stack: debug && error instanceof Error ? error.stack : undefined });
    return report.exitCode;
  }
}
