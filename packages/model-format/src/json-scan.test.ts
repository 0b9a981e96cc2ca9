import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FormatError } from './errors.js';
import { type JsonLimits, parseUntrustedJson, scanJson } from './json-scan.js';

const roomy: JsonLimits = { maxDepth: 64, maxContainers: 1000, maxKeys: 1000, maxItems: 1000 };

describe('scanJson', () => {
  it('finds a repeated key in any object, escapes resolved, and names where', () => {
    expect(scanJson('{"a":1,"a":2}', roomy)).toEqual({ kind: 'duplicate-key', key: 'a', path: '(root)' });
    expect(scanJson('{"x":{"y":[{"k":1,"\\u006b":2}]}}', roomy)).toEqual({ kind: 'duplicate-key', key: 'k', path: 'x.y.[]' });
    expect(scanJson('{"__proto__":{},"__proto__":{}}', roomy)?.kind).toBe('duplicate-key');
  });

  it('does not mistake values, strings that look like JSON, or keys of sibling objects for repeats', () => {
    expect(scanJson('[{"a":1},{"a":2}]', roomy)).toBeUndefined();
    expect(scanJson('{"a":"a","b":"{\\"a\\":1,\\"a\\":2}","c":["a","a"]}', roomy)).toBeUndefined();
    expect(scanJson('{"a\\\\":1,"a":2,"q\\"":3,"q":4}', roomy)).toBeUndefined();
    expect(scanJson('{"a":{"a":{"a":1}},"b":1}', roomy)).toBeUndefined();
  });

  it('stops at the first container past each limit, without recursion', () => {
    expect(scanJson(`${'['.repeat(65)}${']'.repeat(65)}`, roomy)).toMatchObject({ kind: 'too-deep', limit: 64 });
    expect(scanJson(`${'['.repeat(64)}${']'.repeat(64)}`, roomy)).toBeUndefined();
    expect(scanJson(`${'['.repeat(1_000_000)}`, roomy)?.kind).toBe('too-deep');
    expect(scanJson(`[${'[],'.repeat(1000)}[]]`, roomy)).toEqual({ kind: 'too-many-containers', limit: 1000 });
    expect(scanJson(`{${Array.from({ length: 1001 }, (_, i) => `"k${i}":0`).join(',')}}`, roomy)).toMatchObject({ kind: 'too-many-keys', limit: 1000 });
    expect(scanJson(`[${'0,'.repeat(1000)}0]`, roomy)).toMatchObject({ kind: 'too-many-items', limit: 1000 });
    expect(scanJson(`[${'0,'.repeat(999)}0]`, roomy)).toBeUndefined();
  });

  it('finds nothing wrong in any JSON.stringify output (no false repeats, whatever the keys)', () => {
    const big: JsonLimits = { maxDepth: 1000, maxContainers: 1e9, maxKeys: 1e9, maxItems: 1e9 };
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), fc.boolean(), (value, pretty) => {
        expect(scanJson(JSON.stringify(value, null, pretty ? 2 : undefined), big)).toBeUndefined();
      }),
      { numRuns: 500, seed: 19 },
    );
  });

  it('finds a key repeated anywhere in generated objects', () => {
    const big: JsonLimits = { maxDepth: 1000, maxContainers: 1e9, maxKeys: 1e9, maxItems: 1e9 };
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 3 }), { minKeys: 1 }), fc.nat(), (object, pick) => {
        const keys = Object.keys(object);
        const key = keys[pick % keys.length];
        const text = JSON.stringify({ outer: [object] });
        const forged = `${text.slice(0, -3)},${JSON.stringify(key)}:0}]}`;
        expect(scanJson(forged, big)).toMatchObject({ kind: 'duplicate-key', key, path: 'outer.[]' });
      }),
      { numRuns: 500, seed: 19 },
    );
  });

  it('leaves malformed text to JSON.parse instead of failing or looping', () => {
    for (const text of ['', '{', '{"a', '{"a":"\\', '}}}]]]', '{"\\x":1,"\\x":2}', '"\\u12"', '[,,,]']) {
      expect(() => scanJson(text, roomy)).not.toThrow();
    }
  });
});

describe('parseUntrustedJson', () => {
  it('parses good JSON and gives each problem its code', () => {
    expect(parseUntrustedJson('{"a":[1,2]}', 'header', 'BAD_HEADER')).toEqual({ a: [1, 2] });
    const codeOf = (text: string) => {
      try {
        parseUntrustedJson(text, 'checkpoint metadata "x"', 'BAD_METADATA');
      } catch (error) {
        expect(error).toBeInstanceOf(FormatError);
        return `${(error as FormatError).code}: ${(error as FormatError).message}`;
      }
      return 'ok';
    };
    expect(codeOf('{"a":1,"a":2}')).toMatch(/^DUPLICATE_KEY: checkpoint metadata "x" has the key "a" twice at its top level; .*restore a good copy$/);
    expect(codeOf('['.repeat(100) + ']'.repeat(100))).toMatch(/^BAD_METADATA: .* nests deeper than 64 levels/);
    expect(codeOf('{"a":')).toMatch(/^BAD_METADATA: checkpoint metadata "x" is not valid JSON/);
  });
});
