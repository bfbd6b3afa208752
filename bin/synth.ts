import { runCommand } from "../lib/cli/command";

runCommand(
  {
    name: "synth",
    summary:
      "Checks every setting, then runs cdktf synth: every stack to cdktf.out/. A bad setting stops it before cdktf starts, with one line. " +
      "For cdktf's own flags, run npx cdktf synth.",
    options: {},
  },
  async () => (await import("../lib/commands/synth")).synth(),
);
