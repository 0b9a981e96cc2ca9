/**
 * Help (examples, defaults, choices, the environment variables) and shell completion generated
 * from the commander program.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, runCli, startHarness } from './cli-harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h?.close());

const COMMANDS = ['train', 'eval', 'predict', 'tune', 'worker', 'play', 'data', 'data list', 'info', 'export', 'import', 'completion'];

/** Every SCRATCHNET_* variable the packages' sources read. */
function environmentVariablesInSources(): string[] {
  const names = new Set<string>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory() && entry.name !== 'node_modules' && entry.name !== 'generated') walk(path);
      else if (/\.ts$/.test(entry.name) && !/\.test\.ts$/.test(entry.name)) {
        for (const m of readFileSync(path, 'utf8').matchAll(/SCRATCHNET_[A-Z_]+/g)) names.add(m[0]);
      }
    }
  };
  for (const pkg of ['core', 'datasets', 'model-format', 'cli']) walk(resolve(__dirname, '../packages', pkg, 'src'));
  return [...names].sort();
}

describe('--help', () => {
  it('every command has examples', async () => {
    for (const command of COMMANDS) {
      const run = await runCli(h, [...command.split(' '), '--help']);
      expect(run.code, command).toBe(0);
      if (command !== 'data list') expect(run.stdout, command).toMatch(/\nExamples:\n {2}\$ .*scratchnet-cli /);
    }
  });

  it('the root help lists every SCRATCHNET_* variable the code reads, NO_COLOR and the exit statuses', async () => {
    const help = (await runCli(h, ['--help'])).stdout;
    const variables = environmentVariablesInSources();
    expect(variables).toContain('SCRATCHNET_SYSTEM_DATA_DIRS');
    for (const name of [...variables, 'NO_COLOR', 'FORCE_COLOR']) expect(help, name).toMatch(new RegExp(`\\n {2}${name} `));
    expect(help).toMatch(/Exit status: 0 .* 2 bad flag/);
  });

  it('train shows defaults and choices, lists kmnist, and --momentum does not claim rmsprop', async () => {
    const help = (await runCli(h, ['train', '--help'])).stdout.replace(/\s+/g, ' ');
    expect(help).toContain('learning rate (default: 0.002; 0.001 with your own --arch)');
    expect(help).toContain('(default: LeNet-5, 1x28x28-conv(6,5,pad=2)');
    expect(help).toMatch(/--optimizer <name> .*choices: "sgd", "momentum", "rmsprop", "adam", "adamw"/);
    expect(help).toMatch(/--dataset <name> .*"kmnist"/);
    const momentum = /--momentum <m> (.*?) --weight-decay/.exec(help)?.[1] ?? '';
    expect(momentum).toContain('sgd');
    expect(momentum).not.toContain('rmsprop');
    expect((await runCli(h, ['data', '--help'])).stdout).toContain('kmnist');
  });

  it('--momentum with rmsprop fails as a bad flag before any data is loaded', async () => {
    const run = await runCli(h, ['train', '--dataset', 'tiny', '--optimizer', 'rmsprop', '--momentum', '0.9']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^error: --momentum applies to --optimizer sgd or momentum, not rmsprop/);
    expect(run.stderr).not.toContain('loading');
  });
});

describe('completion', () => {
  /** Sources the bash script and runs its function for `words` (the last one being completed). */
  function complete(script: string, words: string[]): string[] {
    const file = join(h.root, 'completion.bash');
    writeFileSync(file, script);
    const array = words.map((w) => `'${w}'`).join(' ');
    const run = spawnSync('bash', ['-c', `source "$1"; COMP_WORDS=(${array}); COMP_CWORD=${words.length - 1}; _scratchnet_cli; printf '%s\\n' "\${COMPREPLY[@]}"`, 'bash', file], {
      encoding: 'utf8',
    });
    expect(run.stderr).toBe('');
    return run.stdout.split('\n').filter(Boolean);
  }

  it('bash: valid syntax; completes commands, options and their choices', async () => {
    const run = await runCli(h, ['completion', 'bash']);
    expect(run.code).toBe(0);
    const file = join(h.root, 'check.bash');
    writeFileSync(file, run.stdout);
    expect(spawnSync('bash', ['-n', file], { encoding: 'utf8' }).status).toBe(0);
    expect(complete(run.stdout, ['scratchnet-cli', 'tr'])).toEqual(['train']);
    expect(complete(run.stdout, ['scratchnet-cli', 'train', '--optimizer', 'a'])).toEqual(['adam', 'adamw']);
    expect(complete(run.stdout, ['scratchnet-cli', 'train', '--dataset', 'k'])).toEqual(['kmnist']);
    expect(complete(run.stdout, ['scratchnet-cli', 'data', 'd'])).toEqual(['download']);
    expect(complete(run.stdout, ['scratchnet-cli', 'data', 'download', 'k'])).toEqual(['kmnist']);
    expect(complete(run.stdout, ['scratchnet-cli', 'completion', 'f'])).toEqual(['fish']);
    expect(complete(run.stdout, ['scratchnet-cli', 'predict', 'm.safetensors', '--sh'])).toEqual(['--show']);
    // A value without choices (a path) is left to bash's file-name completion.
    expect(complete(run.stdout, ['scratchnet-cli', 'train', '--out', ''])).toEqual([]);
  });

  it('zsh and fish scripts are generated; an unknown shell is a bad flag', async () => {
    expect((await runCli(h, ['completion', 'zsh'])).stdout).toMatch(/^#compdef scratchnet-cli\n[\s\S]*bashcompinit[\s\S]*complete -o default -F _scratchnet_cli scratchnet-cli/);
    const fish = (await runCli(h, ['completion', 'fish'])).stdout;
    expect(fish).toContain("complete -c scratchnet-cli -n '__fish_use_subcommand' -a 'train'");
    expect(fish).toMatch(/-n '__fish_seen_subcommand_from train' -l optimizer -x -a 'sgd momentum rmsprop adam adamw'/);
    const bad = await runCli(h, ['completion', 'tcsh']);
    expect(bad.code).toBe(2);
  });
});
