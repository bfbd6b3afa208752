// npm run unlock -- <lock-id>: releases a state lock that its holder left behind (a killed CI job, say), in
// whichever mechanisms hold it, once the Lock Info has been shown and the release confirmed.
import { TfstateConfig, loadConfig } from "../../config/config";
import { AwsClients, awsClients } from "../aws/clients";
import { confirmByTyping } from "../cli/confirm";
import { fixDigestCommand } from "../health/fix-commands";
import { LockChangedError, heldLocks, releaseLock } from "../locks/held-locks";
import { HeldLock, lockInfoLines, lockPlace } from "../locks/lock-info";
import { digestIsStale, digestItemId, syncStateDigest } from "../locks/state-digest";

interface UnlockOptions {
  readonly yes: boolean;
  /** Brings the DynamoDB digest up to date after the release, in the same run. */
  readonly fixDigest: boolean;
}

/** After the release: whether the state object still matches its digest item, and with --fix-digest, make it so. */
async function checkDigest(clients: AwsClients, config: TfstateConfig, lock: HeldLock, fixDigest: boolean, log: (line: string) => void) {
  // The table may hold locks of other buckets' state; their digests live under those buckets' names.
  const target = { ...config, stateBucket: lock.bucket };
  const state = `s3://${lock.bucket}/${lock.key}`;
  if (fixDigest) {
    log(`digest of ${state}: ${await syncStateDigest(clients, target, lock.key)}`);
  } else if (await digestIsStale(clients, target, lock.key)) {
    log(
      `the digest item ${digestItemId(lock.bucket, lock.key)} no longer matches ${state}: terraform with DynamoDB locking will refuse it ` +
        `("checksum ... does not match the checksum stored in DynamoDB"). Fix it: ${fixDigestCommand(lock.key)}`,
    );
  }
}

export async function unlock(lockId: string, options: UnlockOptions, log: (line: string) => void = console.log): Promise<void> {
  const config = loadConfig();
  const clients = awsClients(config);
  const locks = (await heldLocks(clients, config)).filter((lock) => lock.info.ID === lockId);
  if (locks.length === 0) {
    throw new Error(
      `no lock with ID ${lockId} in table ${config.lockTable} or in a .tflock object in s3://${config.stateBucket}: nothing was released (npm run locks lists the locks held)`,
    );
  }
  log("Lock Info:");
  for (const line of lockInfoLines(locks[0].info, new Date())) log(`  ${line}`);
  for (const lock of locks) log(`  held in the ${lockPlace(lock)}`);
  const question = "Release it only if no run still holds it. Type the lock ID to release it: ";
  await confirmByTyping({ expected: lockId, question, yes: options.yes, action: "release it", untouched: "nothing was written, the lock is still held" });
  for (const lock of locks) {
    try {
      await releaseLock(clients, config, lock);
    } catch (error) {
      if (error instanceof LockChangedError || !(error instanceof Error)) throw error;
      // The SDK's message alone ("Access Denied") does not say which call.
      throw new Error(`could not release the ${lockPlace(lock)}: ${error.name}: ${error.message}`);
    }
    log(`released the ${lockPlace(lock)}`);
  }
  // In the both mode one lock sits in two places, on one state object.
  await checkDigest(clients, config, locks[0], options.fixDigest, log);
}
