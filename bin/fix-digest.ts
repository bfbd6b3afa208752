import { runCommand } from "../lib/cli/command";

runCommand(
  {
    name: "fix-digest",
    summary:
      "Sets the DynamoDB digest item of a state object to the object's MD5 (removes it when the object is gone): the fix for " +
      '"checksum ... does not match the checksum stored in DynamoDB". Refuses while the state is locked.',
    args: ["<state-key>"],
    options: {},
  },
  async ({ positionals: [key] }) => (await import("../lib/commands/fix-digest")).fixDigest(key),
);
