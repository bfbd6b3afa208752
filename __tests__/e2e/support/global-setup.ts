import * as fs from "fs";
import * as path from "path";
import { Emulator, startEmulator } from "../../../scripts/emulator";
import { E2E_DIR, EmulatorName, Scenario, recordEndpoints } from "./world";

declare global {
  // Handed from the global setup to the global teardown, which run in the same process.
  var e2eEmulators: Emulator[] | undefined;
}

const NAMES: EmulatorName[] = ["shared", "teardown"];

/**
 * Starts the suite's moto servers and deploys a bootstrap stack on each, side by side: most of a
 * bootstrap deploy is the provider's fixed 55 s wait on the lifecycle configuration.
 */
export default async function globalSetup(): Promise<void> {
  fs.rmSync(E2E_DIR, { recursive: true, force: true });
  fs.mkdirSync(E2E_DIR, { recursive: true });
  const started = Date.now();
  const emulators = await Promise.all(NAMES.map((name) => startEmulator({ logFile: path.join(E2E_DIR, `moto-${name}.log`) })));
  globalThis.e2eEmulators = emulators;
  const [shared, teardown] = emulators;
  recordEndpoints({ shared: shared.endpoint, teardown: teardown.endpoint });
  try {
    await Promise.all([
      new Scenario("shared", shared.endpoint).deploy("bootstrap"),
      new Scenario("teardown", teardown.endpoint).deploy("bootstrap"),
    ]);
  } catch (error) {
    await Promise.all(emulators.map((emulator) => emulator.stop()));
    throw error;
  }
  const pids = emulators.map((e) => `${e.endpoint} (pid ${e.pid})`).join(", ");
  process.stdout.write(`\ne2e: moto on ${pids}; bootstrap deployed on each in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}
