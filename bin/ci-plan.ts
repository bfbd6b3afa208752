import { CI_COMMAND_OPTIONS, ciPlan } from "../lib/commands/ci";
import { runCommand } from "../lib/cli/command";

runCommand(
  {
    name: "ci:plan",
    summary: "Plans every workload stack with the credentials the environment holds, and writes the plans to the GitHub job summary.",
    options: CI_COMMAND_OPTIONS,
  },
  ({ options }) => ciPlan({ outdir: options.output, target: options.env }),
);
