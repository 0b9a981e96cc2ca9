import type { Command } from 'commander';

/** What shell completion needs to know about one command, read from the commander program. */
export interface CompletionNode {
  /** Words after the program name: [] for the root, ['data', 'list'] for `data list`. */
  path: string[];
  description: string;
  subcommands: string[];
  /** The values the first argument takes, when it lists them (`completion <shell>`, `data download [name]`). */
  argumentChoices: string[];
  options: Array<{ flags: string[]; description: string; takesValue: boolean; choices?: string[] }>;
}

/** Every command of `program`, root first, each with its options (help and version included). */
export function commandTree(program: Command, path: string[] = []): CompletionNode[] {
  const help = program.createHelp();
  const options = help.visibleOptions(program).map((o) => ({
    flags: [o.short, o.long].filter((f): f is string => Boolean(f)),
    description: o.description,
    takesValue: o.required || o.optional,
    choices: o.argChoices,
  }));
  const subcommands = program.commands.filter((c) => !(c as unknown as { _hidden?: boolean })._hidden);
  const argumentChoices = program.registeredArguments[0]?.argChoices ?? [];
  const node: CompletionNode = { path, description: program.description(), subcommands: subcommands.map((c) => c.name()), argumentChoices, options };
  return [node, ...subcommands.flatMap((c) => commandTree(c, [...path, c.name()]))];
}

/** `word` quoted for a shell: single quotes, with any single quote closed, escaped and reopened. */
export function shellQuote(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}
