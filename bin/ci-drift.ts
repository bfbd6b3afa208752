import { CI_COMMAND_OPTIONS, ciDrift } from "../lib/commands/ci";
import { runCommand } from "../lib/cli/command";

runCommand(
  {
    name: "ci:drift",
    summary: "Exits non-zero, naming each drifted resource, when the real infrastructure no longer matches a workload stack.",
    options: CI_COMMAND_OPTIONS,
  },
  ({ options }) => ciDrift({ outdir: options.output, target: options.env }),
);
