import { checkovGate } from "../lib/checkov";
import { runCommand } from "../lib/cli";

runCommand(
  {
    name: "checkov",
    summary: "The security gate: checkov on both stacks, default and with TFSTATE_KMS=create; fails on any check .checkov.yaml does not skip.",
    options: {},
  },
  () => checkovGate(),
);
