import { spawnSync } from 'node:child_process';
import fs from 'node:fs/promises';
import { syncBuiltinESMExports } from 'node:module';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeCheckpoint, encodeCheckpoint } from '../src/index.js';
import { readCheckpoint, saveCheckpoint } from '../src/node.js';
import { bits, smallContents } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'scratchnet-model-format-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// The crash runs in a child process against the built package, like a real user process would.
const distNode = new URL('../dist/node.js', import.meta.url);

/**
 * Runs a child that saves a 1.4 MB checkpoint (two write chunks) over `path`, optionally killing
 * itself with SIGKILL at a chosen point of the save: the second write, or just before the rename.
 */
function saveInChild(path: string, crash: 'none' | 'mid-write' | 'before-rename') {
  const script = `
    import fs from 'node:fs/promises';
    import { syncBuiltinESMExports } from 'node:module';
    const crash = ${JSON.stringify(crash)};
    const probe = await fs.open(${JSON.stringify(join(dir, 'probe'))}, 'w');
    const FileHandle = Object.getPrototypeOf(probe);
    await probe.close();
    if (crash === 'mid-write') {
      const write = FileHandle.write;
      let calls = 0;
      FileHandle.write = function (...args) {
        if (++calls === 2) process.kill(process.pid, 'SIGKILL');
        return write.apply(this, args);
      };
    }
    if (crash === 'before-rename') {
      fs.rename = () => process.kill(process.pid, 'SIGKILL');
      syncBuiltinESMExports();
    }
    const { saveCheckpoint } = await import(${JSON.stringify(distNode.href)});
    const weight = Float32Array.from({ length: 600 * 600 }, (_, i) => Math.sin(i));
    await saveCheckpoint(${JSON.stringify(path)}, {
      spec: { inputSize: 600, layers: [{ type: 'dense', inputSize: 600, outputSize: 600 }] },
      tensors: new Map([['0.weight', { shape: [600, 600], data: weight }], ['0.bias', { shape: [600], data: new Float32Array(600) }]]),
      classNames: Array.from({ length: 600 }, (_, i) => String(i)),
    });
  `;
  return spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
}

describe('saveCheckpoint / readCheckpoint', () => {
  it('writes a file that reads back identically and leaves no temporary files', async () => {
    const path = join(dir, 'model.safetensors');
    await saveCheckpoint(path, smallContents());
    await saveCheckpoint(path, smallContents()); // overwriting works too
    const decoded = await readCheckpoint(path);
    expect(bits(decoded.tensors.get('0.weight')!.data)).toEqual(bits(smallContents().tensors.get('0.weight')!.data));
    expect(readdirSync(dir).filter((name) => name.includes('model.safetensors'))).toEqual(['model.safetensors']);
  });

  it('removes temporaries orphaned by killed saves, but not those of a running process', async () => {
    const sub = mkdtempSync(join(dir, 'orphans-'));
    const path = join(sub, 'model.safetensors');
    // A pid that cannot be running (above Linux's pid_max) and this process's own pid.
    const orphan = join(sub, '.model.safetensors.4194400.abcdef.tmp');
    const live = join(sub, `.model.safetensors.${process.pid}.fedcba.tmp`);
    const other = join(sub, '.other.safetensors.4194400.abcdef.tmp');
    for (const file of [orphan, live, other]) writeFileSync(file, 'partial');
    await saveCheckpoint(path, smallContents());
    expect(readdirSync(sub).sort()).toEqual([live, other, path].map((f) => f.slice(sub.length + 1)).sort());
  });

  it('reports unreadable and unwritable paths as IO_ERROR with a hint', async () => {
    await expect(readCheckpoint(join(dir, 'missing.safetensors'))).rejects.toMatchObject({ code: 'IO_ERROR', message: /check the path/ });
    await expect(saveCheckpoint(join(dir, 'no-such-dir', 'm.safetensors'), smallContents())).rejects.toMatchObject({
      code: 'IO_ERROR',
      message: /create the directory first/,
    });
  });

  it('removes its temporary file when the final rename fails', async () => {
    // A directory can no longer be the target (it is refused before the temporary is written), so
    // the rename is made to fail as a cross-device rename would.
    const target = join(dir, 'occupied');
    const rename = fs.rename;
    fs.rename = async () => {
      throw Object.assign(new Error('EXDEV: cross-device link not permitted'), { code: 'EXDEV' });
    };
    syncBuiltinESMExports();
    try {
      await expect(saveCheckpoint(target, smallContents())).rejects.toMatchObject({ code: 'IO_ERROR' });
    } finally {
      fs.rename = rename;
      syncBuiltinESMExports();
    }
    expect(readdirSync(dir).filter((name) => name.startsWith('.occupied.'))).toEqual([]);
    expect(existsSync(target)).toBe(false);
  });

  it('refuses files over maxFileBytes before reading them', async () => {
    const path = join(dir, 'big.safetensors');
    writeFileSync(path, encodeCheckpoint(smallContents()));
    await expect(readCheckpoint(path, { maxFileBytes: 100 })).rejects.toMatchObject({ code: 'FILE_TOO_LARGE' });
  });

  describe.skipIf(!existsSync(distNode))('a crash mid-save (child process killed with SIGKILL)', () => {
    it.each(['mid-write', 'before-rename'] as const)('at %s leaves the old file intact and loadable', (crash) => {
      const path = join(dir, `crash-${crash}.safetensors`);
      const old = encodeCheckpoint(smallContents());
      writeFileSync(path, old);
      const child = saveInChild(path, crash);
      expect(child.signal, child.stderr).toBe('SIGKILL');
      expect(Buffer.compare(readFileSync(path), old)).toBe(0);
      expect(decodeCheckpoint(new Uint8Array(readFileSync(path))).classNames).toEqual(['cat', 'dog']);
    });

    it('without a crash replaces the old file (so the harness above can tell)', () => {
      const path = join(dir, 'crash-none.safetensors');
      writeFileSync(path, encodeCheckpoint(smallContents()));
      const child = saveInChild(path, 'none');
      expect(child.status, child.stderr).toBe(0);
      expect(decodeCheckpoint(new Uint8Array(readFileSync(path))).spec.inputSize).toBe(600);
    });
  });
});
