import { CI_COMMAND_OPTIONS, ciApply } from "../lib/commands/ci";
import { runCommand } from "../lib/cli/command";

runCommand(
  {
    name: "ci:apply",
    summary: "Deploys every workload stack; a queued apply waits up to 10 minutes for the state lock instead of failing.",
    options: CI_COMMAND_OPTIONS,
  },
  ({ options }) => ciApply({ outdir: options.output, target: options.env }),
);
