import { checkovGate } from "./checkov-gate";
import { runCommand } from "../lib/cli/command";

runCommand(
  {
    name: "checkov",
    summary:
      "The security gate: checkov and the IAM policy linter (parliament) on every stack, default, with TFSTATE_KMS=create and with two environments; fails on any check .checkov.yaml does not skip and on any IAM finding .parliament.yaml does not allow.",
    options: {},
  },
  () => checkovGate(),
);
