import { runCommand } from "../lib/cli/command";

runCommand(
  {
    name: "local",
    summary: "Deploys bootstrap, then vpc, on moto at 127.0.0.1 (no AWS account), shows what they made, and stops moto.",
    options: {
      keep: "leave moto running afterwards, for your own cdktf commands",
      verbose: "print every program's output as it arrives (it always goes to .emulator/local.log)",
    },
  },
  async ({ options }) => (await import("../lib/commands/walkthrough")).walkthrough({ keep: options.keep, verbose: options.verbose }),
);
