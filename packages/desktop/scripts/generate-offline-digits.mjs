#!/usr/bin/env node
// Puts the offline digits into the app's static assets: a copy of the same 10,000 real MNIST
// digits, split 8,000 train / 2,000 test, that @scratchnet/datasets ships as gzip IDX files (see
// its README for their source and licence; 1.6 MB). The renderer decodes them with the same code
// as any MNIST download, and the CLI reads the same files, so both train and test on the same digits.
// Runs before every build; skips work when the copies are there and up to date.
import { createRequire } from 'node:module';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const outDir = join(here, '..', 'src', 'generated', 'public', 'offline-digits');
const require = createRequire(import.meta.url);
const sourceDir = join(dirname(require.resolve('@scratchnet/datasets/package.json')), 'data');
const files = ['digits-train-images-idx3-ubyte.gz', 'digits-train-labels-idx1-ubyte.gz', 'digits-test-images-idx3-ubyte.gz', 'digits-test-labels-idx1-ubyte.gz'];

const fresh = (out, source) => existsSync(out) && statSync(out).mtimeMs >= statSync(source).mtimeMs;
const entries = files.map((name) => [join(outDir, name), join(sourceDir, name)]);
if (entries.every(([out, source]) => fresh(out, source)) && !process.argv.includes('--force')) process.exit(0);

mkdirSync(outDir, { recursive: true });
for (const [out, source] of entries) writeFileSync(out, readFileSync(source));
console.log(`offline digits: ${files.length} IDX files from ${sourceDir} → ${outDir}`);
