// A bootstrap deploy of a test file's own: a bucket and a table of its own, on a moto of its own or on the
// shared one. doctor checks every state object in the bucket, so scenarios that end with a healthy doctor
// report cannot share the suite's bucket, where other files hold locks and leave stale digests on purpose.
import * as path from "path";
import { Emulator, startEmulator } from "../../../lib/local/emulator";
import { E2E_DIR, Scenario, bucketAndTableExist, sharedEndpoint } from "./world";

interface OwnBackend {
  /** The names of the bucket and the table, for every scenario that uses this backend. */
  readonly settings: NodeJS.ProcessEnv;
  /** The emulator's endpoint, once its bucket and table exist: all that a vpc deploy needs. */
  ready(): Promise<string>;
  /** Once the whole bootstrap deploy has finished: doctor checks every setting, the lifecycle rule included. */
  deployed(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Started on first use, so that test.concurrent tests can share it; stop it in afterAll. `onShared`: on the
 * suite's shared moto, with a bucket and a table named after `name`, instead of on a moto of its own (whose
 * bucket and table keep the shared names).
 */
export function ownBackend(name: string, options: { onShared?: boolean } = {}): OwnBackend {
  const settings: NodeJS.ProcessEnv = options.onShared ? { TFSTATE_BUCKET: `e2e-${name}-state`, TFSTATE_LOCK_TABLE: `e2e-${name}-lock` } : {};
  let started: Promise<{ emulator?: Emulator; endpoint: string; deploy: Promise<void> }> | undefined;
  const start = () =>
    (started ??= (async () => {
      const emulator = options.onShared ? undefined : await startEmulator({ logFile: path.join(E2E_DIR, `moto-${name}.log`) });
      const endpoint = emulator?.endpoint ?? sharedEndpoint();
      const owner = new Scenario(`${name}-bootstrap`, endpoint, settings);
      const deploy = owner.apply("bootstrap").then(() => undefined);
      await bucketAndTableExist(owner, deploy);
      return { emulator, endpoint, deploy };
    })());
  return {
    settings,
    ready: async () => (await start()).endpoint,
    deployed: async () => (await start()).deploy,
    async stop() {
      if (!started) return;
      const { emulator, deploy } = await started;
      await deploy.catch(() => undefined);
      await emulator?.stop();
    },
  };
}
