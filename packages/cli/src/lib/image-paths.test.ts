import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { expandImagePaths } from './image-paths.js';

describe('expandImagePaths', () => {
  const root = mkdtempSync(join(tmpdir(), 'image-paths-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('expands a folder to its .png/.jpg/.jpeg files and its subfolders\', sorted; files stay as given', () => {
    const folder = join(root, 'drawings');
    mkdirSync(join(folder, 'b'), { recursive: true });
    mkdirSync(join(folder, 'a'));
    for (const f of ['b/2.png', 'b/1.PNG', 'a/9.png', 'a/photo.JPG', 'b/3.jpeg', 'top.png', 'notes.txt', 'a/manifest.json', 'a/x.gif']) writeFileSync(join(folder, f), '');
    symlinkSync(join(folder, 'a'), join(folder, 'c-link')); // links are not followed (no loops)
    expect(expandImagePaths([folder, 'given.png'])).toEqual([
      join(folder, 'a/9.png'),
      join(folder, 'a/photo.JPG'),
      join(folder, 'b/1.PNG'),
      join(folder, 'b/2.png'),
      join(folder, 'b/3.jpeg'),
      join(folder, 'top.png'),
      'given.png',
    ]);
  });

  it('refuses a folder with no .png, .jpg or .jpeg in it', () => {
    mkdirSync(join(root, 'empty'));
    expect(() => expandImagePaths([join(root, 'empty')])).toThrow(/holds no \.png, \.jpg or \.jpeg files/);
  });
});
