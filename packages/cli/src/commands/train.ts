import { ACTIVATIONS } from '@scratchnet/core';
import type { Command } from 'commander';
import { choiceOption } from '../help/choice-option.js';
import { withExamples } from '../help/examples.js';
import { knownDatasets } from '../lib/training-data.js';
import { runTrain } from '../lib/train-session.js';
import { PRESET_NAMES } from '../options/presets.js';
import { BASE_SETTINGS as B, DEFAULT_SETTINGS as D, LOSSES, OPTIMIZERS, type TrainFlags } from '../options/train-settings.js';

/**
 * `scratchnet-cli train`: flags are collected as strings and validated in one table (train-settings.ts).
 * No commander defaults: an absent flag must stay absent so a --preset or --config can set it; the
 * defaults are shown in the descriptions instead.
 */
export function registerTrainCommand(program: Command): void {
  const command = program
    .command('train')
    .description('train a network and save a checkpoint (MNIST by default; offline digits when MNIST is not available)')
    .addOption(choiceOption('--preset <name>', 'a known network (sets arch, activations, optimizer, lr, batch size, epochs)', PRESET_NAMES))
    .addOption(choiceOption('--dataset <name>', `data set (default: ${D.dataset}; digits is the bundled offline set)`, knownDatasets()))
    .option('--data-dir <path>', 'your own data: a folder of class subfolders of PNG/JPEG images (optionally under train/ and test/), a .csv (label + pixel columns) or a folder of IDX files; the model\'s input and output follow it')
    .option('--image-size <size>', 'for an image folder: resize every image to 28 or 32x32 (default: the images\' own size up to 64, else 32x32)')
    .option('--channels <n>', 'for an image folder: 1 (grey) or 3 (colour) (default: 3 when any image has colour)')
    .option('--arch <sizes>', `layer sizes, e.g. 784-256-128-10, or layer by layer, e.g. 1x28x28-conv(8,5,pad=2)-relu-maxpool(2)-flatten-10 (default: LeNet-5, ${D.arch})`)
    .option('--activations <list>', `hidden activations: one for all or one per layer, e.g. relu,selu,tanh; from ${ACTIVATIONS.join(', ')}; only for a layer-size --arch such as 784-128-64-10 (default: ${D.activations})`)
    .addOption(choiceOption('--optimizer <name>', `optimizer (default: ${D.optimizer})`, OPTIMIZERS))
    .addOption(choiceOption('--loss <name>', `loss; mse and bce train a sigmoid output (default: ${D.loss})`, LOSSES))
    .option('--lr <rate>', `learning rate (default: ${D.lr}; ${B.lr} with your own --arch)`)
    .option('--momentum <m>', 'momentum in [0, 1) for --optimizer sgd or momentum only (default: 0 for sgd, 0.9 for momentum)')
    .option('--weight-decay <wd>', 'L2 penalty, decoupled for adamw (default: 0)')
    .option('--batch-size <n>', `examples per step (default: ${D.batchSize})`)
    .option('--epochs <n>', `passes over the training set (default: ${D.epochs}; ${B.epochs} with your own --arch)`)
    .option('--seed <n>', `seed for initialisation, shuffling and dropout (default: ${D.seed})`)
    .option('--val-split <fraction>', `share of the training set held out for validation (default: ${D.valSplit})`)
    .option('--dropout <rate>', `dropout after each hidden activation of a layer-size --arch (default: ${D.dropout})`)
    .option('--schedule <spec>', `constant | cosine[:minLr] | step:<every>:<gamma> | exp:<gamma> | warmup:<n>[:<then>] (default: ${D.schedule}; ${B.schedule} with your own --arch)`)
    .option('--early-stopping <patience>', 'stop after this many epochs without improvement of the validation loss (the training loss with --val-split 0) (default: off)')
    .option('--augment <spec>', `random distortions of the training images: rotate=<deg>,shift=<px>,scale=<frac>,shear=<deg>,elastic[=<alpha>:<sigma>],stroke=<p>,thickness=<thin>[:<thick>],erase=<p> | on | off (default: ${D.augment}; off with your own --arch or a preset that sets none)`)
    .option('--train-limit <n>', 'train on the first n training images only (quick runs)')
    .option('--out <file>', `checkpoint path; the metrics CSV and SVG chart go next to it (default: ${D.out})`)
    .option('--resume <checkpoint>', 'continue an interrupted run from its checkpoint')
    .option('--config <file.json>', 'settings from a JSON file; flags override it')
    .option('--threads <n>', 'threads for the large matrix products (default 1, or SCRATCHNET_THREADS); same results, faster from ~100k parameters')
    .option('--json', 'print one JSON object per line on stdout (events: start, epoch, done) instead of text')
    .action(async (flags: TrainFlags & { resume?: string; json?: boolean }) => {
      process.exitCode = await runTrain(flags);
    });
  withExamples(command, [
    ['scratchnet-cli train --epochs 3 --out model.safetensors', 'the default CNN (LeNet-5) on MNIST; progress on stderr, test accuracy on stdout'],
    ['scratchnet-cli train --preset lenet5 --dataset fashion-mnist --out lenet.safetensors', 'a CNN preset on Fashion-MNIST'],
    ['scratchnet-cli train --resume model.safetensors', 'continue a run stopped with Ctrl-C'],
    ['scratchnet-cli train --data-dir photos/ --image-size 32 --preset lenet5', 'a CNN on your own folder of class subfolders (photos/cats, photos/dogs, …)'],
  ]);
}
