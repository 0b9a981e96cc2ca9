import { Tensor, predict, useFastestBackend } from '@scratchnet/core';
import { mnistPreprocessOptions, preprocessDigit, resizeArea, toInkMap } from '@scratchnet/datasets';
import type { Command } from 'commander';
import { CliError, CliErrorCode, badFlag } from '../errors/cli-error.js';
import { openModel, testSetFor, trainedLoss } from '../lib/open-model.js';
import { expandImagePaths } from '../lib/image-paths.js';
import { readPng } from '../lib/read-png.js';
import { parseNonNegativeInteger } from '../options/parse-values.js';
import { choiceOption } from '../help/choice-option.js';
import { withExamples } from '../help/examples.js';
import { knownDatasets } from '../lib/training-data.js';
import { useColour } from '../output/colour.js';
import { drawHalfBlocks } from '../output/half-blocks.js';
import { percent } from '../output/table.js';
import { terminalLine } from '../output/terminal-text.js';

interface PredictFlags {
  index?: string;
  dataset?: string;
  dataDir?: string;
  preprocess: boolean;
  show?: boolean;
  json?: boolean;
}

/** `scratchnet-cli predict <model> <image.png …>` or `--index N`: top-3 classes with probabilities. */
export function registerPredictCommand(program: Command): void {
  const command = program
    .command('predict')
    .description('classify PNG images (preprocessed like the desktop canvas) or a test-set image')
    .argument('<model>', 'checkpoint file (.safetensors)')
    .argument('[images...]', 'PNG files (any size, dark-on-light or light-on-dark), or folders of them')
    .option('--index <n>', 'classify test-set image n instead of files')
    .addOption(choiceOption('--dataset <name>', 'data set for --index (default: the one recorded in the checkpoint)', knownDatasets()))
    .option('--data-dir <path>', 'folder of IDX files, of class folders of images, or a .csv (default: the one recorded in the checkpoint)')
    .option('--no-preprocess', 'only scale the whole image to 28×28 (no crop or centring; for images already laid out like the data set)')
    .option('--show', 'draw each image as the model sees it')
    .option('--json', 'one JSON object per image, on stdout')
    .action(async (path: string, images: string[], flags: PredictFlags) => {
      if (images.length === 0 && flags.index === undefined) {
        throw badFlag('predict: give one or more PNG files, or --index <n> for a test-set image; e.g. scratchnet-cli predict model.safetensors digit.png');
      }
      await useFastestBackend();
      const { model, checkpoint } = await openModel(path);
      const side = pictureSide(model.inputShape, path, images.length > 0 || Boolean(flags.show));
      const inputs: Array<{ name: string; pixels: Float32Array; label?: string }> = [];
      if (flags.index !== undefined) {
        const index = parseNonNegativeInteger('--index', flags.index, 0);
        const data = await testSetFor(checkpoint, flags, (t) => process.stderr.write(`${t}\n`));
        if (index >= data.test.size) throw badFlag(`--index ${index} is past the end of the ${data.name} test set; try --index ${data.test.size - 1}`);
        const view = data.test.image(index);
        inputs.push({ name: `${data.name} test #${index}`, pixels: Float32Array.from(view.pixels, (b) => b / 255), label: view.className });
      }
      for (const file of expandImagePaths(images)) {
        const picture = readPng(file);
        let pixels: Float32Array | null;
        if (flags.preprocess) {
          pixels = preprocessDigit(picture, mnistPreprocessOptions(side));
        } else {
          const ink = toInkMap(picture, { stretch: false });
          pixels = ink && resizeArea(ink, side, side).data;
        }
        if (!pixels) throw new CliError(CliErrorCode.BAD_IMAGE, `'${file}' is blank: there is no drawing to classify`);
        inputs.push({ name: file, pixels });
      }
      const x = new Tensor([inputs.length, ...model.inputShape]);
      inputs.forEach((input, i) => {
        x.data.set(input.pixels, i * checkpoint.spec.inputSize);
      });
      const probabilities = predict(model, x, trainedLoss(checkpoint) === 'bce' ? { activation: 'sigmoid' } : {});
      const classes = checkpoint.classNames.length;
      inputs.forEach((input, i) => {
        const row = Array.from(probabilities.data.subarray(i * classes, (i + 1) * classes));
        const sum = row.reduce((s, v) => s + v, 0) || 1; // sigmoid outputs (MSE/BCE models) are scores; normalise for display
        const top = row
          .map((p, c) => ({ className: checkpoint.classNames[c], probability: p / sum }))
          .sort((a, b) => b.probability - a.probability)
          .slice(0, 3);
        if (flags.json) {
          process.stdout.write(`${JSON.stringify({ image: input.name, label: input.label, top })}\n`);
          return;
        }
        if (flags.show) process.stdout.write(`${drawHalfBlocks(input.pixels, side, side, useColour(process.stdout))}\n`);
        // Names come from files (the checkpoint's class names, image paths): no control characters.
        const truth = input.label !== undefined ? `  (true: ${terminalLine(input.label)})` : '';
        process.stdout.write(
          `${terminalLine(input.name)}${truth}\n${top.map((t, k) => `  ${k + 1}. ${terminalLine(t.className ?? String(k)).padEnd(12)} ${percent(t.probability, 1).padStart(6)}`).join('\n')}\n`,
        );
      });
    });
  withExamples(command, [
    ['scratchnet-cli predict model.safetensors digit.png', 'the top 3 classes for a picture'],
    ['scratchnet-cli predict model.safetensors drawings/ --json', 'every .png in a folder (and its subfolders), one JSON line each'],
    ['scratchnet-cli predict model.safetensors --index 7 --show', 'a test-set image, drawn as the model sees it (colour on a terminal, shades otherwise or with NO_COLOR)'],
  ]);
}

/**
 * The side of the square greyscale picture the model reads: from its input shape [1, side, side]
 * (CNNs), or, for a flat model (checkpoints record no image layout for an MLP), the square root of
 * its input size, which is how every image data set it could have been trained on is laid out.
 * 0 when no picture is needed (only --index) and the model has no such layout.
 */
function pictureSide(inputShape: readonly number[], path: string, needed: boolean): number {
  const size = inputShape.reduce((a, b) => a * b, 1);
  const flatSide = Math.round(Math.sqrt(size));
  const side = inputShape.length === 3 && inputShape[0] === 1 && inputShape[1] === inputShape[2] ? inputShape[1] : inputShape.length === 1 && flatSide * flatSide === size ? flatSide : 0;
  if (side === 0 && needed) {
    throw new CliError(
      CliErrorCode.UNSUPPORTED_MODEL,
      `${path}: the model takes [${inputShape.join(', ')}], which is not one square greyscale picture (e.g. 784 = 28 × 28, or [1, 28, 28]), so predict cannot feed it a picture; use --index for its test set`,
    );
  }
  return side;
}
