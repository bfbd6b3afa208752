import * as fs from "fs";
import * as path from "path";
import { Emulator, startEmulator } from "../../../lib/local/emulator";
import { E2E_DIR, EMULATORS, EmulatorName, bootstrapDoneFile, bucketAndTableExist, emulatorScenario, recordEndpoints } from "./world";

declare global {
  // Handed from the global setup to the global teardown, which run in the same process.
  var e2eEmulators: Emulator[] | undefined;
  var e2eBootstrapDeploys: Promise<void>[] | undefined;
}

/**
 * Starts the suite's moto servers and a bootstrap deploy on each. Scenarios start as soon as the
 * bucket and the table exist: most of a bootstrap deploy is the AWS provider's fixed 55 s wait on the
 * lifecycle configuration, which they do not need. Tests of the bootstrap stack itself wait for the
 * whole deploy (bootstrapDeployed in world.ts).
 */
export default async function globalSetup(): Promise<void> {
  fs.rmSync(E2E_DIR, { recursive: true, force: true });
  fs.mkdirSync(E2E_DIR, { recursive: true });
  const started = Date.now();
  // On the iam emulator, where IAM is enforced, the CI roles' ARN-scoped statements must apply to EC2, logs and IAM.
  const emulators = await Promise.all(EMULATORS.map((name) => startEmulator({ logFile: path.join(E2E_DIR, `moto-${name}.log`), iamByAction: name === "iam" })));
  globalThis.e2eEmulators = emulators;
  const endpoints = Object.fromEntries(EMULATORS.map((name, i) => [name, emulators[i].endpoint])) as Record<EmulatorName, string>;
  recordEndpoints(endpoints);

  const scenarios = EMULATORS.map(emulatorScenario);
  // The shared bootstrap is deployed as a user deploys it (bootstrap.e2e reads what it made); the others
  // only set a scene, without the CPU seconds of cdktf's CLI.
  const deploys = EMULATORS.map((name, i) =>
    (name === "shared" ? scenarios[i].deploy("bootstrap") : scenarios[i].apply("bootstrap")).then(
      () => fs.writeFileSync(bootstrapDoneFile(name), JSON.stringify({ ok: true })),
      (error: Error) => {
        fs.writeFileSync(bootstrapDoneFile(name), JSON.stringify({ ok: false, error: error.message }));
        throw error;
      },
    ),
  );
  globalThis.e2eBootstrapDeploys = deploys;
  try {
    // The scenarios on the other emulators wait for their whole bootstrap deploy themselves.
    const shared = EMULATORS.indexOf("shared");
    await bucketAndTableExist(scenarios[shared], deploys[shared]);
  } catch (error) {
    await Promise.allSettled(deploys);
    await Promise.all(emulators.map((emulator) => emulator.stop()));
    throw error;
  }
  const pids = emulators.map((e) => `${e.endpoint} (pid ${e.pid})`).join(", ");
  process.stdout.write(`\ne2e: moto on ${pids}; shared bucket and table ready in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}
