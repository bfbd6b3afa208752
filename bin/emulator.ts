import { loadConfig } from "../config/config";
import { runCommand } from "../lib/cli/command";
import { startEmulator, stopOnSignals } from "../lib/local/emulator";
import { emulatorEnv, emulatorExportLine, freshEmulatorDir } from "../lib/local/local-env";

runCommand(
  {
    name: "emulator",
    summary: "Starts moto on 127.0.0.1 for your own cdktf commands, and stops it on Ctrl-C.",
    options: {},
  },
  async () => {
    // The settings first: a bad one stops here, before moto starts.
    const { region } = loadConfig();
    freshEmulatorDir();
    const emulator = await startEmulator();
    stopOnSignals(emulator);
    console.log(`moto is answering on ${emulator.endpoint} (pid ${emulator.pid}); Ctrl-C stops it.`);
    console.log(`to use it: ${emulatorExportLine(emulatorEnv(emulator.endpoint), region)}`);
  },
);
