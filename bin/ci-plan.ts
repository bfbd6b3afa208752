import { ciPlan } from "../lib/ci";
import { runCommand } from "../lib/cli";

runCommand(
  {
    name: "ci:plan",
    summary: "Plans every workload stack with the credentials the environment holds, and writes the plans to the GitHub job summary.",
    options: { output: "cdktf's synth output directory (default cdktf.out)" },
  },
  ({ options }) => ciPlan({ outdir: options.output }),
);
