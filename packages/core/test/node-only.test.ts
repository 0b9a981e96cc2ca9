import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { findNodeOnlyUsage } from './helpers/node-only-scan.js';

const srcDir = fileURLToPath(new URL('../src', import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.(ts|js|mjs)$/.test(entry.name) && !/\.test\.ts$/.test(entry.name) ? [path] : [];
  });
}

describe('core runs anywhere: no Node-only code in packages/core/src', () => {
  it('the scanner flags each kind of Node-only use and ignores comments, strings and guarded property access', () => {
    const flagged = [
      "import { readFileSync } from 'node:fs';",
      "import * as fs from 'fs';",
      "export { join } from 'path';",
      "const w = await import('worker_threads');",
      "const x = require('./x');",
      'const b = Buffer.from([1]);',
      'const e = process.env.X;',
      'const d = __dirname;',
    ];
    for (const line of flagged) expect(findNodeOnlyUsage(line), line).toHaveLength(1);
    const allowed = [
      '// process.env and Buffer in a comment; require(x)',
      '/* import fs from "fs" */',
      "const s = \"require('worker_threads') in a worker's source string\";",
      'const env = (globalThis as { process?: { env?: object } }).process?.env;',
      'const shared = new SharedArrayBuffer(8);',
      "import { x } from './processing.js';",
    ];
    for (const line of allowed) expect(findNodeOnlyUsage(line), line).toEqual([]);
  });

  it('every source file is free of Node-only usage', () => {
    const files = sourceFiles(srcDir);
    expect(files.length).toBeGreaterThan(20);
    const problems = files.flatMap((file) =>
      findNodeOnlyUsage(readFileSync(file, 'utf8')).map((f) => `${relative(srcDir, file)}:${f.line}: ${f.what}`),
    );
    expect(problems).toEqual([]);
  });
});
