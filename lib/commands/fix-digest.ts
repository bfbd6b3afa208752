// npm run fix-digest -- <state-key>: the way out of the stale-digest trap that runs without DynamoDB locking
// set, for any state object in the bucket.
import { loadConfig } from "../../config/config";
import { awsClients } from "../aws/clients";
import { Refusal } from "../cli/errors";
import { formatAge } from "../cli/duration";
import { unlockCommand } from "../health/fix-commands";
import { locksOn } from "../locks/held-locks";
import { lockAgeMs } from "../locks/lock-info";
import { syncStateDigest } from "../locks/state-digest";

/** Sets the digest item to the MD5 of the state object as it is (or removes it when there is no object); refuses while the state is locked. */
export async function fixDigest(key: string, log: (line: string) => void = console.log): Promise<void> {
  const config = loadConfig();
  const clients = awsClients(config);
  const state = `s3://${config.stateBucket}/${key}`;
  const [lock] = await locksOn(clients, config, key);
  if (lock) {
    const { ID, Who } = lock.info;
    throw new Refusal(
      `${state} is locked (${lock.mechanism} lock ${ID} by ${Who}, ${formatAge(lockAgeMs(lock.info, new Date()))} old): ` +
        `let that run finish, or if it is dead: ${unlockCommand(ID, true)}`,
    );
  }
  log(`digest of ${state}: ${await syncStateDigest(clients, config, key)}`);
}
