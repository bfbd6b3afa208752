import { ConfigError } from "../config/config";

export interface CliOptions {
  readonly positional: string[];
  readonly yes: boolean;
  readonly keep: boolean;
  /** cdktf's synth output directory (--output DIR), for running beside another checkout's cdktf.out. */
  readonly output?: string;
}

export function parseCliOptions(argv: string[]): CliOptions {
  const positional: string[] = [];
  let output: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--output") output = argv[++i];
    else if (!argv[i].startsWith("--")) positional.push(argv[i]);
  }
  return { positional, output, yes: argv.includes("--yes"), keep: argv.includes("--keep") };
}

/** Runs a script's main and turns any failure into one line on stderr and exit code 1. */
export function runMain(main: () => Promise<void>): void {
  main().catch((error) => {
    const message = error instanceof Error ? error.message : String(error);
    console.error(error instanceof ConfigError ? `error: ${message}` : `failed: ${message}`);
    process.exit(1);
  });
}
