import type { Command } from 'commander';
import { bashCompletion } from '../completion/bash.js';
import { commandTree } from '../completion/command-tree.js';
import { fishCompletion } from '../completion/fish.js';
import { zshCompletion } from '../completion/zsh.js';
import { withExamples } from '../help/examples.js';
import { badFlag } from '../errors/cli-error.js';
import { choiceArgument } from '../help/choice-option.js';
import { parseChoice } from '../options/parse-values.js';

const SHELLS = { bash: bashCompletion, zsh: zshCompletion, fish: fishCompletion } as const;

/** `scratchnet-cli completion bash|zsh|fish`: a completion script generated from the program itself. */
export function registerCompletionCommand(program: Command): void {
  const command = program
    .command('completion')
    .description('print a shell completion script (commands, flags and their choices)')
    .addArgument(choiceArgument('[shell]', 'the shell to complete in', Object.keys(SHELLS)))
    .option('--json', 'print the command tree the scripts are made from, as JSON')
    .action((shell: string | undefined, flags: { json?: boolean }) => {
      const nodes = commandTree(program);
      if (flags.json) {
        process.stdout.write(`${JSON.stringify({ program: program.name(), commands: nodes })}\n`);
        return;
      }
      if (shell === undefined) throw badFlag(`completion: name a shell (${Object.keys(SHELLS).join(', ')}); e.g. source <(scratchnet-cli completion bash)`);
      const name = parseChoice('completion', shell, Object.keys(SHELLS) as (keyof typeof SHELLS)[]);
      process.stdout.write(SHELLS[name](nodes, program.name()));
    });
  withExamples(command, [
    ['source <(scratchnet-cli completion bash)', 'complete commands and flags in this bash session (add it to ~/.bashrc to keep it)'],
    ['scratchnet-cli completion fish > ~/.config/fish/completions/scratchnet-cli.fish', 'install for fish'],
  ]);
}
