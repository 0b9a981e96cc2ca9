import type { Command } from 'commander';
import { PRESET_NAMES } from '../options/presets.js';
import type { TrainFlags } from '../options/train-settings.js';
import { runTrain } from '../lib/train-session.js';

/** `scratchnet-cli train`: flags are collected as strings and validated in one table (train-settings.ts). */
export function registerTrainCommand(program: Command): void {
  program
    .command('train')
    .description('train a network and save a checkpoint (MNIST by default; offline digits when MNIST is not available)')
    .option('--preset <name>', `a known network: ${PRESET_NAMES.join(', ')}`)
    .option('--dataset <name>', 'mnist | fashion-mnist | digits (the offline set)')
    .option('--data-dir <dir>', 'folder holding the four IDX(.gz) files (instead of the cache)')
    .option('--arch <sizes>', 'layer sizes, e.g. 784-256-128-10')
    .option('--activations <list>', 'hidden activations: one for all (relu) or one per layer (relu,selu,tanh)')
    .option('--optimizer <name>', 'sgd | momentum | rmsprop | adam | adamw')
    .option('--loss <name>', 'ce | mse | bce (mse trains a sigmoid output, as one seed did)')
    .option('--lr <rate>', 'learning rate')
    .option('--momentum <m>', 'momentum for sgd/momentum/rmsprop')
    .option('--weight-decay <wd>', 'L2 penalty (decoupled for adamw)')
    .option('--batch-size <n>', 'examples per step')
    .option('--epochs <n>', 'passes over the training set')
    .option('--seed <n>', 'seed for initialisation, shuffling and dropout')
    .option('--val-split <fraction>', 'share of the training set held out for validation')
    .option('--dropout <rate>', 'dropout after each hidden activation')
    .option('--schedule <spec>', 'constant | cosine[:minLr] | step:<every>:<gamma> | exp:<gamma> | warmup:<n>[:<then>]')
    .option('--early-stopping <patience>', 'stop after this many epochs without validation improvement')
    .option('--augment <spec>', 'random distortions of the training images: rotate=<deg>,shift=<px>,scale=<frac>,shear=<deg>,elastic[=<alpha>:<sigma>],stroke=<p>,erase=<p> | on | off')
    .option('--train-limit <n>', 'train on the first n training images only (quick runs)')
    .option('--out <file>', 'checkpoint path (metrics CSV and SVG chart go next to it)')
    .option('--resume <checkpoint>', 'continue an interrupted run from its checkpoint')
    .option('--config <file.json>', 'settings from a JSON file; flags override it')
    .option('--threads <n>', 'threads for the large matrix products (default 1, or SCRATCHNET_THREADS); same results, faster from ~100k parameters')
    .option('--json', 'print one JSON object per line instead of text')
    .action(async (flags: TrainFlags & { resume?: string; json?: boolean }) => {
      process.exitCode = await runTrain(flags);
    });
}
