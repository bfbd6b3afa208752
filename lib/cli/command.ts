import { parseArgs } from "util";
import { UsageError, errorReport } from "./errors";

export { UsageError } from "./errors";
import { quietNodeVersionWarning } from "./node-support";

/** Every option a command may take. One catalog, so that each is spelled the same in every command. */
const OPTIONS = {
  yes: { type: "boolean" },
  output: { type: "string", placeholder: "PATH" },
  keep: { type: "boolean" },
  "no-deploy": { type: "boolean" },
  env: { type: "string", placeholder: "NAME" },
  key: { type: "string", placeholder: "KEY" },
  json: { type: "boolean" },
  verbose: { type: "boolean" },
  "stale-after": { type: "string", placeholder: "DURATION" },
  "fix-digest": { type: "boolean" },
  "force-lineage": { type: "boolean" },
  "include-foreign-state": { type: "boolean" },
  account: { type: "string", placeholder: "ID" },
} as const satisfies Record<string, { type: "boolean" | "string"; placeholder?: string }>;
export type OptionName = keyof typeof OPTIONS;

type OptionValue<N extends OptionName> = (typeof OPTIONS)[N]["type"] extends "boolean" ? boolean : string | undefined;

/** What `npm run <name>` takes, and what its --help prints. */
export interface CommandSpec<O extends OptionName = OptionName> {
  /** The npm script's name. */
  readonly name: string;
  readonly summary: string;
  /** The positional arguments, as usage shows them, each "<required>" or "[optional]". */
  readonly args?: readonly string[];
  /** Each option the command takes, with what it means there. */
  readonly options: { readonly [N in O]: string };
}

interface CommandLine<O extends OptionName> {
  readonly positionals: string[];
  readonly options: { readonly [N in O]: OptionValue<N> };
}

const optionSynopsis = (name: OptionName) => {
  const { placeholder } = OPTIONS[name] as { placeholder?: string };
  return placeholder ? `--${name} ${placeholder}` : `--${name}`;
};

export function usage<O extends OptionName>(spec: CommandSpec<O>): string {
  const options = (Object.keys(spec.options) as OptionName[]).map((name) => `[${optionSynopsis(name)}]`);
  const words = [...(spec.args ?? []), ...options];
  return `usage: npm run ${spec.name}${words.length ? ` -- ${words.join(" ")}` : ""}`;
}

export function helpText<O extends OptionName>(spec: CommandSpec<O>): string {
  const rows: Array<[string, string]> = [
    ...(Object.entries(spec.options) as Array<[OptionName, string]>).map(([name, help]): [string, string] => [optionSynopsis(name), help]),
    ["--help", "print this and exit"],
  ];
  const width = Math.max(...rows.map(([synopsis]) => synopsis.length));
  return [usage(spec), "", spec.summary, "", ...rows.map(([synopsis, help]) => `  ${synopsis.padEnd(width)}  ${help}`)].join("\n");
}

/** Parses argv against the spec; an unknown option, a missing value or a wrong count of arguments is a UsageError. */
export function parseCommandLine<O extends OptionName>(spec: CommandSpec<O>, argv: string[]): CommandLine<O> | "help" {
  const names = Object.keys(spec.options) as O[];
  const config = Object.fromEntries([...names.map((name) => [name, { type: OPTIONS[name].type }]), ["help", { type: "boolean" }]]);
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: argv, options: config, strict: true, allowPositionals: true });
  } catch (error) {
    throw new UsageError(describeParseError(error, argv));
  }
  if (parsed.values.help) return "help";
  const required = (spec.args ?? []).filter((arg) => arg.startsWith("<")).length;
  const allowed = (spec.args ?? []).length;
  if (parsed.positionals.length < required) throw new UsageError(`missing ${(spec.args ?? [])[parsed.positionals.length]}`);
  if (parsed.positionals.length > allowed) throw new UsageError(`unexpected argument ${JSON.stringify(parsed.positionals[allowed])}`);
  const options = Object.fromEntries(
    names.map((name) => [name, parsed.values[name] ?? (OPTIONS[name].type === "boolean" ? false : undefined)]),
  ) as CommandLine<O>["options"];
  return { positionals: parsed.positionals, options };
}

// node's own messages run to two sentences; the user needs the option's name.
function describeParseError(error: unknown, argv: string[]): string {
  const code = (error as { code?: string }).code;
  const message = error instanceof Error ? error.message : String(error);
  const option = /'(-[^' ]+)/.exec(message)?.[1] ?? argv.find((arg) => arg.startsWith("-")) ?? "";
  if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") return `unknown option ${option}`;
  if (code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE" && /argument missing/.test(message)) return `${option} needs a value`;
  if (code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE") return `${option} takes no value`;
  return message.split("\n")[0];
}

/**
 * Runs a command's main with its parsed command line. --help and usage errors never reach main, so a main
 * that imports its command's body (await import) keeps them from loading the AWS SDK or cdktf. A failure prints as
 * errors.ts says (a usage error with the usage line after it), with its exit code; main may return its own exit code.
 */
export function runCommand<O extends OptionName>(
  spec: CommandSpec<O>,
  main: (commandLine: CommandLine<O>) => Promise<number | void>,
  argv: string[] = process.argv.slice(2),
): void {
  // Before main loads the AWS SDK: its nine-line warning on node 20 becomes one line.
  quietNodeVersionWarning();
  const run = async () => {
    const commandLine = parseCommandLine(spec, argv);
    if (commandLine === "help") {
      console.log(helpText(spec));
      return 0;
    }
    return (await main(commandLine)) ?? 0;
  };
  run().then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      const { code, message } = errorReport(error);
      console.error(error instanceof UsageError ? `${message}\n${usage(spec)}` : message);
      process.exitCode = code;
      // Whatever the failed run left open (a child, a socket) must not keep the command alive.
      process.exit();
    },
  );
}
