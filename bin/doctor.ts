import { runCommand } from "../lib/cli/command";
import { DEFAULT_STALE_AFTER } from "../lib/cli/duration";

runCommand(
  {
    name: "doctor",
    summary:
      "Checks the backend as configured, and only reads: the bucket's settings, the lock table, and every state object's digest and locks. " +
      "Each failed check comes with the command that fixes it. Exit code 0: healthy; 1: a check failed, or the backend could not be read; 2: a bad option or setting.",
    options: {
      json: "print the findings as one line of JSON, every check included",
      verbose: "print every check on a line of its own (by default the passing ones are counted, and each problem listed)",
      "stale-after": `flag locks older than this as stale (default ${DEFAULT_STALE_AFTER}; for example 30m, 2h, 1d, or 0 for every lock)`,
    },
  },
  async ({ options }) => {
    const { doctor, staleAfterMs } = await import("../lib/commands/doctor");
    return doctor({ json: options.json, staleAfterMs: staleAfterMs(options["stale-after"]), verbose: options.verbose });
  },
);
