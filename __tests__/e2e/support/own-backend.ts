// A moto server and a bootstrap deploy of a test file's own. doctor checks every state object in the
// bucket, so scenarios that end with a healthy doctor report cannot share the suite's bucket, where other
// files hold locks and leave stale digests on purpose.
import * as path from "path";
import { Emulator, startEmulator } from "../../../lib/local/emulator";
import { E2E_DIR, Scenario, bucketAndTableExist } from "./world";

interface OwnBackend {
  /** The emulator's endpoint, once its bucket and table exist: all that a vpc deploy needs. */
  ready(): Promise<string>;
  /** Once the whole bootstrap deploy has finished: doctor checks every setting, the lifecycle rule included. */
  deployed(): Promise<void>;
  stop(): Promise<void>;
}

/** Started on first use, so that test.concurrent tests can share it; stop it in afterAll. */
export function ownBackend(name: string): OwnBackend {
  let started: Promise<{ emulator: Emulator; deploy: Promise<void> }> | undefined;
  const start = () =>
    (started ??= (async () => {
      const emulator = await startEmulator({ logFile: path.join(E2E_DIR, `moto-${name}.log`) });
      const owner = new Scenario(`${name}-bootstrap`, emulator.endpoint);
      const deploy = owner.apply("bootstrap").then(() => undefined);
      await bucketAndTableExist(owner, deploy);
      return { emulator, deploy };
    })());
  return {
    ready: async () => (await start()).emulator.endpoint,
    deployed: async () => (await start()).deploy,
    async stop() {
      if (!started) return;
      const { emulator, deploy } = await started;
      await deploy.catch(() => undefined);
      await emulator.stop();
    },
  };
}
