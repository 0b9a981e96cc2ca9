import { CommanderError } from 'commander';
import { describeError } from './errors/describe-error.js';
import { registerCustomDatasets } from './lib/custom-datasets.js';
import { createProgram } from './program.js';
import { terminalText } from './output/terminal-text.js';

/**
 * Parses `argv` (without node and script), runs the command and returns the exit status.
 * Errors are caught here once: one line saying what is wrong, one saying what to do, and a stack
 * trace only with --debug.
 */
export async function runCli(argv: string[]): Promise<number> {
  const debug = argv.includes('--debug');
  const args = argv.filter((a) => a !== '--debug');
  const program = createProgram();
  try {
    registerCustomDatasets();
    await program.parseAsync(args, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander has printed its (one-line) message already; help and --version exit 0.
      return error.exitCode === 0 ? 0 : 2;
    }
    const report = describeError(error);
    // Messages quote paths, keys and names that came from files: no control characters reach the terminal.
    process.stderr.write(`error: ${terminalText(report.message).replace(/\n/g, ' ')}\n`);
    if (report.hint) process.stderr.write(`  ${terminalText(report.hint)}\n`);
    if (debug && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
    return report.exitCode;
  }
}
