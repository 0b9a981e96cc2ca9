import { createInterface } from 'node:readline';
import { Rng, Tensor, predictClasses, useFastestBackend } from '@scratchnet/core';
import type { Command } from 'commander';
import { openModel, testSetFor } from '../lib/open-model.js';
import { parsePositiveInteger, parseSeed } from '../options/parse-values.js';
import { choiceOption } from '../help/choice-option.js';
import { withExamples } from '../help/examples.js';
import { knownDatasets } from '../lib/training-data.js';
import { useColour } from '../output/colour.js';
import { drawHalfBlocks } from '../output/half-blocks.js';
import { terminalLine } from '../output/terminal-text.js';

/** Reads a guess: a class number or (a prefix of) a class name, case-insensitive. */
export function parseGuess(text: string, classNames: readonly string[]): number | undefined {
  const t = text.trim().toLowerCase();
  if (t === '') return undefined;
  if (/^\d+$/.test(t) && Number(t) < classNames.length && !classNames.some((n) => n.toLowerCase() === t)) return Number(t);
  const exact = classNames.findIndex((n) => n.toLowerCase() === t);
  if (exact >= 0) return exact;
  const prefixed = classNames.map((n, i) => [n.toLowerCase(), i] as const).filter(([n]) => n.startsWith(t));
  return prefixed.length === 1 ? prefixed[0][1] : undefined;
}

/**
 * `scratchnet-cli play <model>`: the seed's human-versus-machine game. Shows a random test image,
 * reads the human's guess from stdin (a terminal or a pipe), then shows the model's guess, the
 * truth and both running scores. Ends after --rounds, on "q", or at the end of input.
 */
export function registerPlayCommand(program: Command): void {
  const command = program
    .command('play')
    .description('guess test images against the model (human versus machine)')
    .argument('<model>', 'checkpoint file (.safetensors)')
    .option('--rounds <n>', 'number of images (default: until you type q)')
    .option('--seed <n>', 'seed for picking images (default: random)')
    .addOption(choiceOption('--dataset <name>', 'data set (default: the one recorded in the checkpoint)', knownDatasets()))
    .option('--data-dir <path>', 'folder of IDX files, of class folders of images, or a .csv (default: the one recorded in the checkpoint)')
    .option('--json', 'play on stderr, then print the final score as one JSON object on stdout')
    .action(async (path: string, flags: { rounds?: string; seed?: string; dataset?: string; dataDir?: string; json?: boolean }) => {
      const rounds = flags.rounds === undefined ? Number.POSITIVE_INFINITY : parsePositiveInteger('--rounds', flags.rounds, 5);
      const seed = flags.seed === undefined ? Date.now() % 2 ** 31 : parseSeed('--seed', flags.seed);
      await useFastestBackend();
      const { model, checkpoint } = await openModel(path);
      const { name, test } = await testSetFor(checkpoint, flags, (t) => process.stderr.write(`${terminalLine(t)}\n`));
      // Shown on every round: the checkpoint's names without control characters.
      const classNames = checkpoint.classNames.map(terminalLine);
      // The game is the output, on stdout; with --json it moves to stderr and stdout keeps the summary.
      const screen = flags.json ? process.stderr : process.stdout;
      const colour = useColour(screen);
      const rng = new Rng(seed);
      const lines = createInterface({ input: process.stdin, terminal: false })[Symbol.asyncIterator]();
      const ask = async (prompt: string): Promise<string | undefined> => {
        screen.write(prompt);
        const next = await lines.next();
        if (next.done) {
          screen.write('\n');
          return undefined;
        }
        if (!process.stdin.isTTY) screen.write(`${next.value}\n`); // echo piped input so the transcript reads well
        return next.value;
      };

      screen.write(`${terminalLine(name)}: you against ${terminalLine(path)}. Type a class number or name (${classNames.map((n, i) => `${i} ${n}`).join(', ')}); q quits.\n`);
      let human = 0;
      let machine = 0;
      let played = 0;
      game: while (played < rounds) {
        const index = rng.int(test.size);
        const view = test.image(index);
        const pixels = Float32Array.from(view.pixels, (b) => b / 255);
        screen.write(`\nround ${played + 1} · test image #${index}\n${drawHalfBlocks(shownPlane(pixels, view.channels), view.cols, view.rows, colour)}\n`);
        let guess: number | undefined;
        while (guess === undefined) {
          const answer = await ask('your guess: ');
          if (answer === undefined || answer.trim().toLowerCase() === 'q') break game;
          guess = parseGuess(answer, classNames);
          if (guess === undefined) screen.write(`  '${answer.trim()}' is not a class; type 0-${classNames.length - 1} or a name\n`);
        }
        const predicted = predictClasses(model, new Tensor([1, pixels.length], pixels))[0];
        played++;
        if (guess === view.label) human++;
        if (predicted === view.label) machine++;
        const mark = (ok: boolean) => (ok ? '✓' : '✗');
        screen.write(
          `  answer: ${classNames[view.label]}  ·  you: ${classNames[guess]} ${mark(guess === view.label)}  ·  model: ${classNames[predicted]} ${mark(predicted === view.label)}\n` +
            `  score: you ${human}/${played}  model ${machine}/${played}\n`,
        );
      }
      const verdict = played === 0 ? 'no rounds played' : human > machine ? 'you win' : human < machine ? 'the model wins' : 'a draw';
      screen.write(`\nfinal score after ${played} round${played === 1 ? '' : 's'}: you ${human}, model ${machine} — ${verdict}\n`);
      if (flags.json) process.stdout.write(`${JSON.stringify({ dataset: name, seed, rounds: played, human, model: machine, verdict })}\n`);
      process.stdin.pause();
    });
  withExamples(command, [
    ['scratchnet-cli play model.safetensors --rounds 5', 'five pictures: type your guess, then see the model\'s'],
    ["printf '3\\n7\\n' | scratchnet-cli play model.safetensors --rounds 2 --seed 1 --json", 'scripted guesses; the final score as JSON'],
  ]);
}

/** What the terminal can draw of an image: its one plane, or for colour (R, G, B planes) their luma. */
function shownPlane(pixels: Float32Array, channels: number): Float32Array {
  if (channels !== 3) return pixels;
  const n = pixels.length / 3;
  return Float32Array.from({ length: n }, (_, p) => 0.299 * pixels[p] + 0.587 * pixels[n + p] + 0.114 * pixels[2 * n + p]);
}
