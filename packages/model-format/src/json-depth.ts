/**
 * Deepest nesting of arrays/objects in a parsed JSON value, computed without recursion and
 * stopping once past `limit`, so that a hostile `[[[[…]]]]` cannot overflow the stack of a
 * recursive validator later on.
 */
export function exceedsJsonDepth(value: unknown, limit: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [item, depth] = stack.pop()!;
    if (typeof item !== 'object' || item === null) continue;
    if (depth >= limit) return true;
    for (const child of Object.values(item)) stack.push([child, depth + 1]);
  }
  return false;
}
