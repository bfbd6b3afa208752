import { runCommand } from "../lib/cli/command";

runCommand(
  {
    name: "locks",
    summary: "Lists every state lock held now, in the DynamoDB table and as .tflock objects: state, ID, Who, Operation, Created and age.",
    options: {},
  },
  async () => (await import("../lib/commands/locks")).listLocks(),
);
