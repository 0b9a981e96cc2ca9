import { terminalText } from '../output/terminal-text.js';
import type { ErrorReport } from './describe-error.js';

/**
 * Writes an error to stderr, always: as text (what is wrong, then what to do), or with --json
 * as one JSON object on one line, `{"error":{"code","message","hint"}}`, so a script reads stdout
 * for results and stderr for the one error, and the exit status says which happened.
 */
export function printError(report: ErrorReport, options: { json: boolean; stack?: string }): void {
  if (options.json) {
    const error = { code: report.code, message: report.message, ...(report.hint ? { hint: report.hint } : {}) };
    process.stderr.write(`${JSON.stringify({ error: options.stack ? { ...error, stack: options.stack } : error })}\n`);
    return;
  }
  // Messages quote paths, keys and names that came from files: no control characters reach the terminal.
  process.stderr.write(`error: ${terminalText(report.message).replace(/\n/g, ' ')}\n`);
  if (report.hint) process.stderr.write(`  ${terminalText(report.hint)}\n`);
  if (options.stack) process.stderr.write(`${options.stack}\n`);
}

/** Whether the command line asks for JSON (before a `--` that ends the options). */
export function wantsJson(argv: readonly string[]): boolean {
  const end = argv.indexOf('--');
  return (end < 0 ? argv : argv.slice(0, end)).includes('--json');
}
