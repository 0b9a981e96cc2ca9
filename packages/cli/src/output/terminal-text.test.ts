import { describe, expect, it } from 'vitest';
import { terminalLine, terminalText } from './terminal-text.js';

describe('terminalText', () => {
  it('removes escape sequences whole: CSI, OSC 52 (clipboard), titles, DCS, and their 8-bit forms', () => {
    expect(terminalText('a\x1b[2J\x1b[Hb')).toBe('ab'); // clear screen, cursor home
    expect(terminalText('x\x1b]52;c;ZXZpbA==\x07y')).toBe('xy'); // OSC 52 ended by BEL
    expect(terminalText('x\x1b]0;pwned\x1b\\y')).toBe('xy'); // window title ended by ST
    expect(terminalText('x\x1b]52;c;ZXZpbA==')).toBe('x'); // unterminated OSC: to the end
    expect(terminalText('x\x1bPq#0;2;0;0;0\x1b\\y')).toBe('xy'); // DCS (sixel)
    expect(terminalText('x\x9b31my\x9d0;t\x07z')).toBe('xyz'); // 8-bit CSI and OSC
    expect(terminalText('x\x1bcy\x1b(Bz\x1b')).toBe('xyz'); // reset, charset, lone ESC
  });

  it('keeps newlines, tabs and ordinary Unicode; drops other C0/C1 controls, DEL and bidi overrides', () => {
    expect(terminalText('T-shirt/top\tBag\nAnkle boot')).toBe('T-shirt/top\tBag\nAnkle boot');
    expect(terminalText('caf\u00e9 \u2192 \u00fc ▀')).toBe('caf\u00e9 \u2192 \u00fc ▀');
    expect(terminalText('a\rb\x07c\x08d\x7fe\x85f\u202eg')).toBe('abcdefg');
    expect(terminalLine('two\nlines\tand\x1b[31mred')).toBe('two lines andred');
    expect(terminalLine(42)).toBe('42');
  });
});
