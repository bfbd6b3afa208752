import { ciDrift } from "../lib/ci";
import { runCommand } from "../lib/cli";

runCommand(
  {
    name: "ci:drift",
    summary: "Exits non-zero, naming each drifted resource, when the real infrastructure no longer matches a workload stack.",
    options: { output: "cdktf's synth output directory (default cdktf.out)" },
  },
  ({ options }) => ciDrift({ outdir: options.output }),
);
