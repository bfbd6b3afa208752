import { ciApply } from "../lib/ci";
import { runCommand } from "../lib/cli";

runCommand(
  {
    name: "ci:apply",
    summary: "Deploys every workload stack; a queued apply waits up to 10 minutes for the state lock instead of failing.",
    options: { output: "cdktf's synth output directory (default cdktf.out)" },
  },
  ({ options }) => ciApply({ outdir: options.output }),
);
