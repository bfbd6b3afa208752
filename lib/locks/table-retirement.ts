// Whether the lock table may go: nothing in it is anybody else's, and none of this project's stacks still
// locks with it. Only the digest items of this project's own state may be deleted with it.
import * as fs from "fs";
import * as path from "path";
import { TfstateConfig } from "../../config/config";
import { projectStateKeys, remoteStates } from "../state/stack-states";
import { TableItems } from "./held-locks";
import { parseLockInfo } from "./lock-info";
import { digestItemId, lockItemId } from "./state-digest";

export interface TableRetirement {
  /** Why the table must stay, a line each; empty when it may go. */
  readonly refusals: readonly string[];
  /** The items that go with the table: this project's own digest items. */
  readonly ownItems: readonly string[];
}

/** Each of this project's lock and digest item IDs, with the stack it belongs to. */
function ownItemIds(config: TfstateConfig): Map<string, { stack: string; kind: "lock" | "digest" }> {
  const ids = new Map<string, { stack: string; kind: "lock" | "digest" }>();
  for (const [stack, key] of projectStateKeys(config)) {
    ids.set(lockItemId(config.stateBucket, key), { stack, kind: "lock" });
    ids.set(digestItemId(config.stateBucket, key), { stack, kind: "digest" });
  }
  return ids;
}

/**
 * What stands in the way of deleting the table. `items`: every item of the table, by LockID (a paged Scan);
 * `initializedTables`: for each stack whose state is in the bucket, the dynamodb_table its backend was last
 * initialized with here, if any.
 */
export function tableRetirement(config: TfstateConfig, items: TableItems, initializedTables: Readonly<Record<string, string | undefined>>): TableRetirement {
  const own = ownItemIds(config);
  const refusals: string[] = [];
  const ownItems: string[] = [];
  for (const [lockId, attributes] of Object.entries(items).sort(([a], [b]) => a.localeCompare(b))) {
    const owner = own.get(lockId);
    if (!owner) {
      const what = attributes.Info !== undefined ? "a lock" : attributes.Digest !== undefined ? "a digest" : "an item";
      refusals.push(`item ${lockId}: ${what} of state that is not this project's stacks'; that team still uses the table`);
    } else if (owner.kind === "lock" || attributes.Info !== undefined) {
      const info = parseLockInfo(attributes.Info ?? "");
      refusals.push(`${owner.stack}: lock item ${lockId} is held (ID ${info.ID || "?"}, ${info.Who || "unknown"}): a run still locks with the table`);
    } else {
      ownItems.push(lockId);
    }
  }
  for (const [stack] of remoteStates(config)) {
    const table = initializedTables[stack];
    if (table) refusals.push(`${stack}: its backend was last initialized here with dynamodb_table ${table}: npm run switch-lock -- s3`);
  }
  return { refusals, ownItems };
}

/**
 * The dynamodb_table that a stack's backend was last initialized with in this synth output directory
 * (terraform keeps it in .terraform/terraform.tfstate); undefined when it has none, or was never initialized here.
 */
export function initializedLockTable(stackDir: string): string | undefined {
  const file = path.join(stackDir, ".terraform", "terraform.tfstate");
  if (!fs.existsSync(file)) return undefined;
  try {
    const table = JSON.parse(fs.readFileSync(file, "utf8"))?.backend?.config?.dynamodb_table;
    return typeof table === "string" && table !== "" ? table : undefined;
  } catch {
    return undefined;
  }
}

/** initializedLockTable for each stack whose state is in the bucket, under a synth output directory. */
export const initializedLockTables = (config: TfstateConfig, outdir: string): Record<string, string | undefined> =>
  Object.fromEntries(remoteStates(config).map(([stack]) => [stack, initializedLockTable(path.join(outdir, "stacks", stack))]));
