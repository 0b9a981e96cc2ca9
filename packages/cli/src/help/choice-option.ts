import { Argument, Option } from 'commander';

/**
 * An option whose help lists its choices (and which shell completion offers), while the value is
 * still checked by parse-values.ts: that gives "did you mean" messages and checks a --config file's
 * value the same way. Commander's own `.choices()` would reject the value first, with its own words.
 */
export function choiceOption(flags: string, description: string, choices: readonly string[]): Option {
  const option = new Option(flags, description);
  option.argChoices = [...choices];
  return option;
}

/** The same for a positional argument: its choices in the help and in completion, checked by parse-values.ts. */
export function choiceArgument(name: string, description: string, choices: readonly string[], defaultValue?: string): Argument {
  const argument = new Argument(name, description);
  argument.argChoices = [...choices];
  if (defaultValue !== undefined) argument.default(defaultValue);
  return argument;
}
