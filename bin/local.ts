import { runCommand } from "../lib/cli/command";
import { walkthrough } from "../lib/commands/walkthrough";

runCommand(
  {
    name: "local",
    summary: "Deploys bootstrap, then vpc, on moto at 127.0.0.1 (no AWS account), shows what they made, and stops moto.",
    options: { keep: "leave moto running afterwards, for your own cdktf commands" },
  },
  ({ options }) => walkthrough({ keep: options.keep }),
);
