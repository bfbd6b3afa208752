// TFSTATE_ADOPT: a backend made by hand (seed 000, Steps 1 and 3) becomes this stack's without being re-created.
import { TfstateConfig } from "../config/config";
import { LockTable } from "../constructs/lock-table";
import { StateBucket } from "../constructs/state-bucket";
import type { ExistingBackend } from "../lib/aws/existing-backend";

/**
 * Turns what exists into terraform import blocks, so that one plan imports it and then changes it in
 * place to the configuration. What does not exist yet is created as usual.
 */
export function adoptExisting(config: TfstateConfig, stateBucket: StateBucket, lockTable: LockTable | undefined, existing: ExistingBackend): void {
  // Every bucket settings resource is imported by the bucket's name, like the bucket itself.
  if (existing.bucket) stateBucket.bucket.importFrom(config.stateBucket);
  for (const setting of existing.bucketSettings) stateBucket.settings[setting]?.importFrom(config.stateBucket);
  if (existing.table && lockTable) lockTable.table.importFrom(config.lockTable);
}
