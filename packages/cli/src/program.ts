import { Command } from 'commander';
import { registerCompletionCommand } from './commands/completion.js';
import { registerDataCommand } from './commands/data.js';
import { registerEvalCommand } from './commands/eval.js';
import { registerExportCommand } from './commands/export.js';
import { registerImportCommand } from './commands/import.js';
import { registerInfoCommand } from './commands/info.js';
import { registerPlayCommand } from './commands/play.js';
import { registerPredictCommand } from './commands/predict.js';
import { registerTrainCommand } from './commands/train.js';
import { registerTuneCommand } from './commands/tune.js';
import { registerWorkerCommand } from './commands/worker.js';
import { environmentHelp } from './help/environment.js';
import { withExamples } from './help/examples.js';
import { CLI_VERSION } from './version.js';

export interface ProgramOptions {
  /** Receives a usage error's message instead of stderr (run-cli prints it as JSON with --json). */
  onUsageError?: (message: string) => void;
}

/** The whole command tree. Commander errors are turned into exceptions (exit 2 in run-cli). */
export function createProgram(options: ProgramOptions = {}): Command {
  const program = new Command('scratchnet-cli')
    .description('Train, evaluate and play with neural networks written from scratch in TypeScript')
    .version(CLI_VERSION)
    .option('--debug', 'print stack traces with errors')
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      // Commander puts "(Did you mean …?)" on a second line; keep every usage error on one line.
      outputError: (message, write) => {
        const line = message.trim().replace(/\n+/g, ' ');
        if (options.onUsageError) options.onUsageError(line);
        else write(`${line}\n`);
      },
    });
  registerTrainCommand(program);
  registerEvalCommand(program);
  registerPredictCommand(program);
  registerTuneCommand(program);
  registerWorkerCommand(program);
  registerPlayCommand(program);
  registerDataCommand(program);
  registerInfoCommand(program);
  registerCompletionCommand(program);
  withExamples(program, [
    ['scratchnet-cli train --epochs 3 --out model.safetensors', 'train the default network on MNIST (the bundled digits when offline)'],
    ['scratchnet-cli predict model.safetensors digit.png', 'classify a picture'],
    ['scratchnet-cli train --help', "one command's flags, defaults and examples"],
  ]);
  program.addHelpText(
    'after',
    `${environmentHelp()}\nResults go to stdout, progress and notices to stderr. With --json, every command prints JSON on stdout, and an error as one object {"error":{"code","message","hint"}} on stderr.\nExit status: 0 done, 1 failed (file, model or data problem), 2 bad flag or value, 130 interrupted (143 SIGTERM, 129 SIGHUP).\n`,
  );
  registerExportCommand(program);
  registerImportCommand(program);
  return program;
}
