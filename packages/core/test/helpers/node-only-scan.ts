import { builtinModules } from 'node:module';

/** One Node-only use found in a source file. */
export interface NodeOnlyFinding {
  line: number;
  what: string;
}

const BUILTINS = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

function stripComments(source: string): string {
  // Keep line breaks so line numbers stay right.
  return source.replace(/\/\*[\s\S]*?\*\//g, (c) => c.replace(/[^\n]/g, ' ')).replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');
}

function blankStrings(source: string): string {
  return source.replace(/'(?:\\.|[^'\\\n])*'|"(?:\\.|[^"\\\n])*"|`(?:\\.|[^`\\])*`/g, (s) => s.replace(/[^\n]/g, ' '));
}

/**
 * Finds what would tie a module to Node: imports of Node built-ins (`node:*`, 'fs', 'path', …,
 * static or dynamic with a literal specifier), and the identifiers `require(`, `Buffer`,
 * `process`, `__dirname`, `__filename` in code (not in comments or string literals, and not as a
 * property such as `globalThis.process`, which is how guarded feature detection reads them).
 */
export function findNodeOnlyUsage(source: string): NodeOnlyFinding[] {
  const findings: NodeOnlyFinding[] = [];
  const code = stripComments(source);
  const lineOf = (index: number) => code.slice(0, index).split('\n').length;
  const importPattern = /\b(?:from|import)\s*\(?\s*(['"])([^'"]+)\1/g;
  for (const match of code.matchAll(importPattern)) {
    if (BUILTINS.has(match[2])) findings.push({ line: lineOf(match.index!), what: `import of Node built-in '${match[2]}'` });
  }
  const bare = blankStrings(code);
  const identifiers: Array<[RegExp, string]> = [
    [/(?<![.\w$])require\s*\(/g, 'require()'],
    [/(?<![.\w$])Buffer\b/g, 'Buffer'],
    [/(?<![.\w$])process\b(?!\s*\??:)/g, 'process'],
    [/(?<![.\w$])__dirname\b/g, '__dirname'],
    [/(?<![.\w$])__filename\b/g, '__filename'],
  ];
  for (const [pattern, what] of identifiers) {
    for (const match of bare.matchAll(pattern)) findings.push({ line: lineOf(match.index!), what });
  }
  return findings;
}
