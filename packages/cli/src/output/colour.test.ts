import { describe, expect, it } from 'vitest';
import { canRedraw, useColour } from './colour.js';

const tty = { isTTY: true };
const pipe = { isTTY: false };

describe('useColour', () => {
  it('colours a terminal, not a pipe', () => {
    expect(useColour(tty, {})).toBe(true);
    expect(useColour(pipe, {})).toBe(false);
  });

  it('NO_COLOR (any non-empty value) turns it off, even with FORCE_COLOR; an empty NO_COLOR does not', () => {
    expect(useColour(tty, { NO_COLOR: '1' })).toBe(false);
    expect(useColour(tty, { NO_COLOR: 'no' })).toBe(false);
    expect(useColour(pipe, { NO_COLOR: '1', FORCE_COLOR: '1' })).toBe(false);
    expect(useColour(tty, { NO_COLOR: '' })).toBe(true);
  });

  it('FORCE_COLOR colours a pipe; FORCE_COLOR=0 or false turns a terminal off', () => {
    expect(useColour(pipe, { FORCE_COLOR: '1' })).toBe(true);
    expect(useColour(pipe, { FORCE_COLOR: '' })).toBe(true);
    expect(useColour(tty, { FORCE_COLOR: '0' })).toBe(false);
    expect(useColour(tty, { FORCE_COLOR: 'false' })).toBe(false);
  });

  it('TERM=dumb: no colour and no redrawn progress line', () => {
    expect(useColour(tty, { TERM: 'dumb' })).toBe(false);
    expect(canRedraw(tty, { TERM: 'dumb' })).toBe(false);
    expect(canRedraw(tty, { TERM: 'xterm-256color' })).toBe(true);
    expect(canRedraw(tty, { CI: 'true' })).toBe(false);
    expect(canRedraw(pipe, {})).toBe(false);
  });
});
