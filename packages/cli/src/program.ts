import { Command } from 'commander';
import { registerDataCommand } from './commands/data.js';
import { registerEvalCommand } from './commands/eval.js';
import { registerExportCommand } from './commands/export.js';
import { registerImportCommand } from './commands/import.js';
import { registerInfoCommand } from './commands/info.js';
import { registerPlayCommand } from './commands/play.js';
import { registerPredictCommand } from './commands/predict.js';
import { registerTrainCommand } from './commands/train.js';
import { registerTuneCommand } from './commands/tune.js';
import { CLI_VERSION } from './version.js';

/** The whole command tree. Commander errors are turned into exceptions (exit 2 in run-cli). */
export function createProgram(): Command {
  const program = new Command('scratchnet-cli')
    .description('Train, evaluate and play with neural networks written from scratch in TypeScript')
    .version(CLI_VERSION)
    .option('--debug', 'print stack traces with errors')
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      // Commander puts "(Did you mean …?)" on a second line; keep every usage error on one line.
      outputError: (message, write) => write(`${message.trim().replace(/\n+/g, ' ')}\n`),
    });
  registerTrainCommand(program);
  registerEvalCommand(program);
  registerPredictCommand(program);
  registerTuneCommand(program);
  registerPlayCommand(program);
  registerDataCommand(program);
  registerInfoCommand(program);
  registerExportCommand(program);
  registerImportCommand(program);
  return program;
}
