import { runCommand } from "../lib/cli/command";

runCommand(
  {
    name: "versions",
    summary: "Lists the versions of a stack's state object, newest first: version ID, time, size, terraform serial, lineage, resource count.",
    args: ["<stack>"],
    options: {},
  },
  async ({ positionals: [stack] }) => (await import("../lib/commands/versions")).listStateVersions(stack),
);
