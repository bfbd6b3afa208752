import { runCommand } from "../lib/cli/command";
import { startEmulator, stopOnSignals } from "../lib/local/emulator";

runCommand(
  {
    name: "emulator",
    summary: "Starts moto on 127.0.0.1 for your own cdktf commands, and stops it on Ctrl-C.",
    options: {},
  },
  async () => {
    const emulator = await startEmulator();
    stopOnSignals(emulator);
    console.log(`moto is answering on ${emulator.endpoint} (pid ${emulator.pid}); Ctrl-C stops it.`);
    console.log(`export AWS_ENDPOINT_URL=${emulator.endpoint} AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test`);
  },
);
