import { runCommand } from "../lib/cli/command";

runCommand(
  {
    name: "restore",
    summary:
      "Makes an earlier version of a stack's state current again, as a new version with the next serial, under the stack's lock; deletes no version.",
    args: ["<stack>", "<version-id>"],
    options: {
      yes: "go on without asking to type yes",
      "force-lineage": "restore a version whose lineage differs from the current state's",
    },
  },
  async ({ positionals: [stack, versionId], options }) =>
    (await import("../lib/commands/restore")).restoreStateVersion({ stack, versionId, yes: options.yes, forceLineage: options["force-lineage"] }),
);
