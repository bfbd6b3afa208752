import { runCommand } from "../lib/cli/command";

runCommand(
  {
    name: "retire-table",
    summary:
      "Deletes the DynamoDB lock table once every stack is on the S3 lock file (TFSTATE_LOCK=s3): refuses while an item in it is not " +
      "this project's or a stack still locks with it, shows what goes, asks, then removes it through the bootstrap stack.",
    options: {
      yes: "go on without asking to type the table name",
      output: "cdktf's synth output directory (default cdktf.out)",
    },
  },
  async ({ options }) => (await import("../lib/commands/retire-table")).retireTable({ yes: options.yes, outdir: options.output }),
);
