import { LOCK_MODES } from "../config/config";
import { runCommand } from "../lib/cli/command";

runCommand(
  {
    name: "switch-lock",
    summary: "Moves the state in the bucket to another lock mode: fixes the DynamoDB digest, then re-inits each backend with -migrate-state; plans and applies nothing.",
    args: [`<${LOCK_MODES.join("|")}>`],
    options: { output: "cdktf's synth output directory (default cdktf.out)" },
  },
  async ({ positionals: [mode], options }) => (await import("../lib/commands/switch-lock")).switchLockMode(mode, options.output),
);
