import { evaluate, useFastestBackend } from '@scratchnet/core';
import type { Command } from 'commander';
import { choiceOption } from '../help/choice-option.js';
import { withExamples } from '../help/examples.js';
import { knownDatasets } from '../lib/training-data.js';
import { openModel, testSetFor, trainedLoss } from '../lib/open-model.js';
import { formatEvaluation, mostConfusedPairs } from '../output/evaluation-report.js';
import { terminalLine } from '../output/terminal-text.js';

/** `scratchnet-cli eval <model>`: loss, accuracy, per-class metrics, confusion matrix, most-confused pairs. */
export function registerEvalCommand(program: Command): void {
  const command = program
    .command('eval')
    .description('evaluate a checkpoint on its test set')
    .argument('<model>', 'checkpoint file (.safetensors)')
    .addOption(choiceOption('--dataset <name>', 'data set to evaluate on (default: the one recorded in the checkpoint)', knownDatasets()))
    .option('--data-dir <path>', 'folder of IDX files, of class folders of images, or a .csv (default: the one recorded in the checkpoint)')
    .option('--json', 'print the evaluation as one JSON object on stdout')
    .action(async (path: string, flags: { dataset?: string; dataDir?: string; json?: boolean }) => {
      await useFastestBackend();
      const { model, checkpoint } = await openModel(path);
      const notes = (text: string) => (flags.json ? undefined : process.stderr.write(`${terminalLine(text)}\n`));
      const data = await testSetFor(checkpoint, flags, notes);
      const classNames = checkpoint.classNames;
      const e = evaluate(model, data.test, { loss: trainedLoss(checkpoint), classNames });
      if (flags.json) {
        process.stdout.write(`${JSON.stringify({ dataset: data.name, ...e, mostConfused: mostConfusedPairs(e.confusion, classNames) })}\n`);
        return;
      }
      // Class and data set names come from files: printed without control characters.
      process.stdout.write(`${terminalLine(path)} on ${terminalLine(data.name)} test set\n${formatEvaluation(e, classNames.map(terminalLine))}\n`);
    });
  withExamples(command, [
    ['scratchnet-cli eval model.safetensors', 'loss, accuracy, per-class metrics and the confusion matrix on the test set'],
    ['scratchnet-cli eval model.safetensors --json', 'the same as one JSON object'],
  ]);
}
