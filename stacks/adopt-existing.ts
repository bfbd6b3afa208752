// TFSTATE_ADOPT: a backend made by hand (seed 000, Steps 1 and 3) becomes this stack's without being re-created.
import { TfstateConfig } from "../config/config";
import { LockTable } from "../constructs/lock-table";
import { BucketSetting, StateBucket } from "../constructs/state-bucket";

/** What already exists under the configured names, as looked up before synth (existing-backend.ts). */
export interface ExistingBackend {
  readonly bucket: boolean;
  /** The settings configured on the bucket: an import block for one that is not fails the plan. */
  readonly bucketSettings: readonly BucketSetting[];
  readonly table: boolean;
}

/**
 * Turns what exists into terraform import blocks, so that one plan imports it and then changes it in
 * place to the configuration. What does not exist yet is created as usual.
 */
export function adoptExisting(config: TfstateConfig, stateBucket: StateBucket, lockTable: LockTable, existing: ExistingBackend): void {
  // Every bucket settings resource is imported by the bucket's name, like the bucket itself.
  if (existing.bucket) stateBucket.bucket.importFrom(config.stateBucket);
  for (const setting of existing.bucketSettings) stateBucket.settings[setting]?.importFrom(config.stateBucket);
  if (existing.table) lockTable.table.importFrom(config.lockTable);
}
