import { checkovGate } from "./checkov-gate";
import { runCommand } from "../lib/cli/command";

runCommand(
  {
    name: "checkov",
    summary: "The security gate: checkov on every stack, default, with TFSTATE_KMS=create and with two environments; fails on any check .checkov.yaml does not skip.",
    options: {},
  },
  () => checkovGate(),
);
