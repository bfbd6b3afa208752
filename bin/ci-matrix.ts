import { runCommand } from "../lib/cli/command";
import { printCiMatrix } from "../lib/commands/ci-matrix";

runCommand(
  {
    name: "ci:matrix",
    summary: "Prints the GitHub Actions matrix of CI targets (one an environment) with each one's plan and apply role ARNs and GitHub environment.",
    options: { account: "the 12-digit AWS account the CI roles are in (the bootstrap stack's)" },
  },
  async ({ options }) => printCiMatrix(options.account),
);
