import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../helpers/fixtures.js';

/** Type-checks one file with the compiler options of a tsconfig and returns the error codes and messages. */
function diagnostics(tsconfig: string, file: string): Array<{ code: number; message: string }> {
  const config = ts.getParsedCommandLineOfConfigFile(join(packageRoot, tsconfig), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} })!;
  const program = ts.createProgram([join(packageRoot, file)], config.options);
  return ts
    .getPreEmitDiagnostics(program)
    .filter((d) => d.file?.fileName.endsWith(file))
    .map((d) => ({ code: d.code, message: ts.flattenDiagnosticMessageText(d.messageText, '\n') }));
}

describe('the renderer cannot reach Node', () => {
  it('fails to compile node:fs, path, process, Buffer and __dirname under the renderer tsconfig', () => {
    const errors = diagnostics('tsconfig.web.json', 'test/fixtures/renderer-uses-node.ts');
    const text = errors.map((e) => e.message).join('\n');
    expect(text).toMatch(/Cannot find module 'node:fs'/);
    expect(text).toMatch(/Cannot find module 'path'/);
    expect(text).toMatch(/Cannot find name 'process'/);
    expect(text).toMatch(/Cannot find name 'Buffer'/);
    expect(text).toMatch(/Cannot find name '__dirname'/);
  });

  it('while the same file compiles under the main-process tsconfig (so the check is about the config)', () => {
    expect(diagnostics('tsconfig.node.json', 'test/fixtures/renderer-uses-node.ts')).toEqual([]);
  });
});
