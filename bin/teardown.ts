import { runCommand } from "../lib/cli/command";

runCommand(
  {
    name: "teardown",
    summary: "Destroys every workload stack (vpc, or each environment's vpc-<env>), empties every state version and delete marker from the bucket, then destroys bootstrap.",
    options: {
      yes: "go on without asking to type the bucket name",
      "include-foreign-state": "also delete the state objects and lock items that are not this project's stacks', after listing them",
      output: "cdktf's synth output directory (default cdktf.out)",
    },
  },
  async ({ options }) => (await import("../lib/commands/teardown")).teardown({ yes: options.yes, includeForeignState: options["include-foreign-state"], outdir: options.output }),
);
