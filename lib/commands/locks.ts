// npm run locks: every state lock held now, in the DynamoDB table and as .tflock objects.
import { loadConfig } from "../../config/config";
import { awsClients } from "../aws/clients";
import { formatAge } from "../cli/duration";
import { heldLocks } from "../locks/held-locks";
import { HeldLock, lockAgeMs } from "../locks/lock-info";

const HEADINGS = ["STATE", "MECHANISM", "ID", "WHO", "OPERATION", "CREATED", "AGE"];

/** The locks as a table, oldest first: the one most likely left behind leads. */
export function locksTable(locks: readonly HeldLock[], now: Date): string[] {
  const rows = [...locks]
    .sort((a, b) => a.info.Created.localeCompare(b.info.Created))
    .map((lock) => [
      `s3://${lock.bucket}/${lock.key}`,
      lock.mechanism,
      lock.info.ID,
      lock.info.Who,
      lock.info.Operation,
      lock.info.Created,
      formatAge(lockAgeMs(lock.info, now)),
    ]);
  const widths = HEADINGS.map((heading, i) => Math.max(heading.length, ...rows.map((row) => row[i].length)));
  return [HEADINGS, ...rows].map((row) => row.map((cell, i) => cell.padEnd(widths[i])).join("  ").trimEnd());
}

export async function listLocks(log: (line: string) => void = console.log): Promise<void> {
  const config = loadConfig();
  const locks = await heldLocks(awsClients(config), config);
  if (locks.length === 0) {
    log(`no locks held: none in table ${config.lockTable}, no .tflock object in s3://${config.stateBucket}`);
    return;
  }
  for (const line of locksTable(locks, new Date())) log(line);
  log(`release one whose holder is no longer running with: npm run unlock -- <ID>`);
}
