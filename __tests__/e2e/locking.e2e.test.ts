// Seed 000 Step 4 and seed 004's two terminals: while one apply holds the lock, a second apply loses,
// in each lock mode. The three modes use their own state keys, so they run side by side.
import { GetObjectCommand } from "@aws-sdk/client-s3";
import { LOCK_MODES, LockMode } from "../../config/config";
import { lockTableItems, stateVersions } from "../../lib/aws/inspect";
import { digestItemId, lockItemId, lockfileExists } from "../../lib/locks/state-digest";
import { holdStateLock } from "./support/lock-holder";
import { ownStaleLock, reportedLock } from "./support/own-lock";
import { Scenario, sharedEndpoint } from "./support/world";

function lockScenario(mode: LockMode) {
  const scenario = new Scenario(`lock-${mode}`, sharedEndpoint(), { TFSTATE_LOCK: mode, VPC_FLOW_LOGS: "false" });
  const config = scenario.config();
  const clients = scenario.clients();
  const tableLockId = lockItemId(config.stateBucket, config.stateKey);
  const digestId = digestItemId(config.stateBucket, config.stateKey);

  async function stateObject() {
    const [latest] = await stateVersions(clients, config.stateBucket, config.stateKey);
    const object = await clients.s3.send(new GetObjectCommand({ Bucket: config.stateBucket, Key: config.stateKey }));
    return { versionId: latest.VersionId, body: await object.Body!.transformToString() };
  }

  async function visibleLocks() {
    const items = await lockTableItems(clients, config.lockTable, tableLockId);
    const lockfile = await lockfileExists(clients, config, config.stateKey);
    return { tableItems: Object.keys(items).sort(), lockfile, info: items[tableLockId]?.Info };
  }

  return { scenario, tableLockId, digestId, stateObject, visibleLocks };
}

test.concurrent.each(LOCK_MODES)(
  "TFSTATE_LOCK=%s: while one apply holds the lock, a second fails with 'Error acquiring the state lock' and the state stays as it was",
  async (mode) => {
    const { scenario, tableLockId, digestId, stateObject, visibleLocks } = lockScenario(mode);
    await scenario.apply("vpc");
    const before = await stateObject();

    // -refresh=false: the holder only has to hold the lock, not to read the VPC back.
    const holder = await holdStateLock(scenario.env, scenario.stackDir("vpc"), "aws_vpc.main", ["-refresh=false"]);
    try {
      // While the lock is held, you can see it.
      const locks = await visibleLocks();
      if (mode === "s3") {
        expect(locks).toMatchObject({ lockfile: true, tableItems: [] });
      } else {
        expect(locks.tableItems).toEqual([tableLockId, digestId].sort());
        expect(JSON.parse(locks.info!)).toMatchObject({ Operation: "OperationTypeApply", Path: tableLockId });
        expect(locks.lockfile).toBe(mode === "both");
      }

      const secondStarted = new Date();
      const second = await scenario.run("deploy", "vpc");
      expect(second.code).not.toBe(0);
      expect(second.output).toContain("Error acquiring the state lock");
      // terraform names the holder's lock, which the e2e deploy helper must not take for its own.
      const reported = reportedLock(second.output);
      expect(reported?.id).toMatch(/^[0-9a-f-]{36}$/);
      if (locks.info) expect(reported?.id).toBe(JSON.parse(locks.info).ID);
      expect(ownStaleLock(second.output, secondStarted)).toBeUndefined();
      expect(await stateObject()).toEqual(before);
    } finally {
      await holder.release();
    }

    // Afterwards the lock is gone; as seed 000 saw in the console, only the digest item stays.
    const after = await visibleLocks();
    expect(after.lockfile).toBe(false);
    expect(after.tableItems).toEqual(mode === "s3" ? [] : [digestId]);
    expect(await stateObject()).toEqual(before);
  },
);
