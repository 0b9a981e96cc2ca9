#!/usr/bin/env node
// `pnpm release`: build, test, then `changeset publish` the versioned packages — by a person, on
// their own machine. It refuses to run in CI (CI set to anything but '' / 'false' / '0'): nothing
// is ever published from CI here. See RELEASING.md.
import { spawnSync } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ci = process.env.CI;
if (ci !== undefined && !['', '0', 'false'].includes(ci.toLowerCase())) {
  console.error(`release: refusing to publish from CI (CI=${ci}); releases are cut by hand, see RELEASING.md`);
  process.exit(1);
}

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const execPath = process.env.npm_execpath ?? '';
const pnpm = /pnpm/.test(execPath) ? [process.execPath, execPath] : ['npx', '-y', 'pnpm@10'];

for (const args of [['test'], ['exec', 'changeset', 'publish']]) {
  console.error(`release: pnpm ${args.join(' ')}`);
  const result = spawnSync(pnpm[0], [...pnpm.slice(1), ...args], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
