/**
 * Whether to print colour (and other escape sequences) on `stream`, as clig.dev and no-color.org
 * ask: never when NO_COLOR is set to anything non-empty; always when FORCE_COLOR is set (except
 * FORCE_COLOR=0 or false); otherwise only on a terminal whose TERM is not "dumb".
 * NO_COLOR wins over FORCE_COLOR: a user who asks for no colour gets none.
 */
export function useColour(stream: { isTTY?: boolean } = process.stdout, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR) return false;
  const force = env.FORCE_COLOR;
  if (force !== undefined) return force !== '0' && force !== 'false';
  return Boolean(stream.isTTY) && env.TERM !== 'dumb';
}

/** Whether cursor movement (a progress line redrawn in place) works on `stream`: a real, non-dumb terminal. */
export function canRedraw(stream: { isTTY?: boolean } = process.stderr, env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(stream.isTTY) && env.TERM !== 'dumb' && !env.CI;
}
