#!/usr/bin/env node
// `pnpm pack:tarballs [dir]`: packs the four installable packages (core, datasets, model-format,
// cli) from their built dist/ into `dir` (default ./tarballs) with `pnpm pack`, which rewrites the
// `workspace:*` ranges to real versions so npm can install the tarballs anywhere. Build first
// (`pnpm build`). Prints one tarball path a line, in dependency order. tests/pack-install.test.ts
// runs this script.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKED = ['core', 'datasets', 'model-format', 'cli'];

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const destination = resolve(process.argv[2] ?? join(root, 'tarballs'));

const missing = PACKED.filter((name) => !existsSync(join(root, 'packages', name, 'dist')));
if (missing.length > 0) {
  console.error(`pack:tarballs: ${missing.map((n) => `packages/${n}/dist`).join(', ')} missing; run \`npx -y pnpm@10 build\` first`);
  process.exit(1);
}
mkdirSync(destination, { recursive: true });

// Inside `pnpm run`, npm_execpath is this pnpm; run directly, fetch the supported one with npx.
const execPath = process.env.npm_execpath ?? '';
const [command, prefix] = /pnpm/.test(execPath) ? [process.execPath, [execPath]] : ['npx', ['-y', 'pnpm@10']];
const filters = PACKED.flatMap((name) => ['--filter', `@scratchnet/${name}`]);
execFileSync(command, [...prefix, ...filters, 'pack', '--pack-destination', destination], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });

for (const name of PACKED) {
  const { version } = JSON.parse(readFileSync(join(root, 'packages', name, 'package.json'), 'utf8'));
  const tarball = join(destination, `scratchnet-${name}-${version}.tgz`);
  if (!existsSync(tarball)) {
    console.error(`pack:tarballs: expected ${tarball}, which pnpm pack did not write`);
    process.exit(1);
  }
  console.log(tarball);
}
