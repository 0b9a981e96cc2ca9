import { Tensor, predict, useFastestBackend } from '@scratchnet/core';
import { mnistPreprocessOptions, preprocessDigit, resizeArea, toInkMap } from '@scratchnet/datasets';
import { toPlanes } from '@scratchnet/datasets/node';
import type { Command } from 'commander';
import { CliError, CliErrorCode, badFlag } from '../errors/cli-error.js';
import { openModel, testSetFor, trainedLoss } from '../lib/open-model.js';
import { expandImagePaths } from '../lib/image-paths.js';
import { readImage } from '../lib/read-image.js';
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
    .description('classify PNG or JPEG images (digits preprocessed like the desktop canvas; photos resized as their training folder was) or a test-set image')
    .argument('<model>', 'checkpoint file (.safetensors)')
    .argument('[images...]', 'PNG or JPEG files (any size; drawn digits dark-on-light or light-on-dark), or folders of them')
    .option('--index <n>', 'classify test-set image n instead of files')
    .addOption(choiceOption('--dataset <name>', 'data set for --index (default: the one recorded in the checkpoint)', knownDatasets()))
    .option('--data-dir <path>', 'folder of IDX files, of class folders of images, or a .csv (default: the one recorded in the checkpoint)')
    .option('--no-preprocess', 'digit models: only scale the whole image to 28×28 (no crop or centring; for images already laid out like the data set)')
    .option('--show', 'draw each image as the model sees it')
    .option('--json', 'one JSON object per image, on stdout')
    .action(async (path: string, images: string[], flags: PredictFlags) => {
      if (images.length === 0 && flags.index === undefined) {
        throw badFlag('predict: give one or more PNG or JPEG files, or --index <n> for a test-set image; e.g. scratchnet-cli predict model.safetensors digit.png');
      }
      await useFastestBackend();
      const { model, checkpoint } = await openModel(path);
      const picture = pictureLayout(model.inputShape, checkpoint.training?.dataset, path, images.length > 0 || Boolean(flags.show));
      const inputs: Array<{ name: string; pixels: Float32Array; label?: string }> = [];
      if (flags.index !== undefined) {
        const index = parseNonNegativeInteger('--index', flags.index, 0);
        const data = await testSetFor(checkpoint, flags, (t) => process.stderr.write(`${t}\n`));
        if (index >= data.test.size) throw badFlag(`--index ${index} is past the end of the ${data.name} test set; try --index ${data.test.size - 1}`);
        const view = data.test.image(index);
        inputs.push({ name: `${data.name} test #${index}`, pixels: Float32Array.from(view.pixels, (b) => b / 255), label: view.className });
      }
      for (const file of expandImagePaths(images)) {
        const image = readImage(file);
        let pixels: Float32Array | null;
        if (picture.kind === 'whole') {
          // As the training folder was loaded (loadImageFolder): luma or R, G, B planes, area-resized, then /255.
          const bytes = new Uint8Array(picture.channels * picture.rows * picture.cols);
          toPlanes({ width: image.width, height: image.height, data: image.data as Uint8Array }, { rows: picture.rows, cols: picture.cols, channels: picture.channels === 3 ? 3 : 1 }, bytes, 0);
          pixels = Float32Array.from(bytes, (b) => b / 255);
        } else if (flags.preprocess) {
          pixels = preprocessDigit(image, mnistPreprocessOptions(picture.rows));
        } else {
          const ink = toInkMap(image, { stretch: false });
          pixels = ink && resizeArea(ink, picture.cols, picture.rows).data;
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
        if (flags.show) process.stdout.write(`${drawHalfBlocks(greyOf(input.pixels, picture.channels), picture.cols, picture.rows, useColour(process.stdout))}\n`);
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
 * How a picture becomes the model's input. `digit`: a square greyscale picture of a drawn digit,
 * brought to it by MNIST's recipe (preprocessDigit), for models of the IDX digit sets and CSVs.
 * `whole`: the whole picture resized to the model's rows × cols, as luma or R, G, B planes, exactly
 * as loadImageFolder loaded the training images, for models trained on an image folder and for
 * colour models (CIFAR-10, colour folders).
 */
interface PictureLayout {
  kind: 'digit' | 'whole';
  /** 0: no picture layout (the model can only be fed --index). */
  channels: 0 | 1 | 3;
  rows: number;
  cols: number;
}

/** The training record's data set entry (model-format keeps it as written). */
interface RecordedData {
  source?: string;
  shape?: number[];
}

/**
 * The picture layout the model reads: its input shape [C, H, W] (CNNs), or for a flat model the
 * image shape recorded for its training data, else the square root of its input size (how every
 * IDX data set it could have been trained on is laid out). `channels` 0 when no picture is needed
 * (only --index) and the model has no such layout.
 */
function pictureLayout(inputShape: readonly number[], recorded: unknown, path: string, needed: boolean): PictureLayout {
  const data = (recorded ?? {}) as RecordedData;
  const size = inputShape.reduce((a, b) => a * b, 1);
  const flatSide = Math.round(Math.sqrt(size));
  let shape: number[] | undefined;
  if (inputShape.length === 3) shape = [...inputShape];
  else if (Array.isArray(data.shape) && data.shape.length === 3 && data.shape.reduce((a, b) => a * b, 1) === size) shape = data.shape;
  else if (inputShape.length === 1 && flatSide * flatSide === size) shape = [1, flatSide, flatSide];
  const [channels, rows, cols] = shape ?? [0, 0, 0];
  const fromFolder = data.source === 'image-folder';
  if ((channels === 1 || channels === 3) && (fromFolder || channels === 3)) return { kind: 'whole', channels, rows, cols };
  if (channels === 1 && rows === cols) return { kind: 'digit', channels, rows, cols };
  if (needed) {
    throw new CliError(
      CliErrorCode.UNSUPPORTED_MODEL,
      `${path}: the model takes [${inputShape.join(', ')}], which is not one square greyscale picture (e.g. 784 = 28 × 28, or [1, 28, 28]) nor an image folder's or a colour data set's picture, so predict cannot feed it one; use --index for its test set`,
    );
  }
  return { kind: 'digit', channels: 0, rows: 0, cols: 0 };
}

/** The pixels to draw for --show: the picture itself, or the mean of its three planes. */
function greyOf(pixels: Float32Array, channels: number): Float32Array {
  if (channels !== 3) return pixels;
  const plane = pixels.length / 3;
  return Float32Array.from({ length: plane }, (_, p) => (pixels[p] + pixels[plane + p] + pixels[2 * plane + p]) / 3);
}
