import type { Command } from 'commander';

/** Adds an "Examples:" section to a command's --help: each a command line and what it does. */
export function withExamples(command: Command, examples: ReadonlyArray<readonly [line: string, what: string]>): Command {
  const text = examples.map(([line, what]) => `  $ ${line}\n      ${what}`).join('\n');
  return command.addHelpText('after', `\nExamples:\n${text}\n`);
}
