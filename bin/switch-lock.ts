import { LOCK_MODES } from "../config/config";
import { UsageError, runCommand } from "../lib/cli/command";

const MODE = `<${LOCK_MODES.join("|")}>`;

runCommand(
  {
    name: "switch-lock",
    summary: "Moves the state in the bucket to another lock mode: fixes the DynamoDB digest, then re-inits each backend with -migrate-state; plans and applies nothing.",
    args: [MODE],
    options: { output: "cdktf's synth output directory (default cdktf.out)" },
  },
  async ({ positionals: [mode], options }) => {
    // The mode is this command's argument, not TFSTATE_LOCK: the error names what the user typed.
    if (!(LOCK_MODES as readonly string[]).includes(mode)) throw new UsageError(`${MODE} ${JSON.stringify(mode)}: must be one of ${LOCK_MODES.join(", ")}`);
    return (await import("../lib/commands/switch-lock")).switchLockMode(mode, options.output);
  },
);
