import { runCommand } from "../lib/cli/command";

runCommand(
  {
    name: "unlock",
    summary:
      "Releases a state lock left behind by a run that no longer exists, in DynamoDB and/or as a .tflock object, only if it is still that lock; " +
      "shows its Lock Info first, then asks you to type its ID. Afterwards it says if the state's DynamoDB digest no longer matches.",
    args: ["<lock-id>"],
    options: {
      yes: "release without asking to type the ID",
      "fix-digest": "also bring the DynamoDB digest up to date with the state object",
    },
  },
  async ({ positionals: [lockId], options }) => (await import("../lib/commands/unlock")).unlock(lockId, { yes: options.yes, fixDigest: options["fix-digest"] }),
);
