// Teardown deletes the whole bucket and the whole lock table. Whatever is in them that is not one of this
// project's stacks' state (a plain Terraform team's state through backend.hcl, say) is someone else's.
import { TfstateConfig } from "../../config/config";
import { AwsClients } from "../aws/clients";
import { unlessMissing } from "../aws/not-found";
import { BucketVersions, listObjectVersions } from "../aws/bucket-versions";
import { lockTableItems } from "../aws/inspect";
import { projectStateKeys } from "./stack-states";
import { digestItemId, lockItemId, lockfileKey } from "../locks/state-digest";

export interface ForeignState {
  /** Each object key that is not this project's, with how many versions and delete markers it has. */
  readonly objects: ReadonlyArray<{ readonly key: string; readonly versions: number; readonly deleteMarkers: number }>;
  /** Each lock table item (lock or digest) that is not this project's, by its LockID. */
  readonly lockItems: readonly string[];
}

/** This project's stacks' state objects and lock files, and their lock and digest items. */
function ownNames(config: TfstateConfig): { objectKeys: Set<string>; lockIds: Set<string> } {
  const keys = projectStateKeys(config).map(([, key]) => key);
  return {
    objectKeys: new Set(keys.flatMap((key) => [key, lockfileKey(key)])),
    lockIds: new Set(keys.flatMap((key) => [lockItemId(config.stateBucket, key), digestItemId(config.stateBucket, key)])),
  };
}

/** Of what the bucket and the table hold, what is not this project's. */
export function foreignOf(config: TfstateConfig, bucket: BucketVersions, lockIds: readonly string[]): ForeignState {
  const own = ownNames(config);
  const objects = new Map<string, { key: string; versions: number; deleteMarkers: number }>();
  const tally = (key: string, kind: "versions" | "deleteMarkers") => {
    if (own.objectKeys.has(key)) return;
    const counts = objects.get(key) ?? { key, versions: 0, deleteMarkers: 0 };
    counts[kind]++;
    objects.set(key, counts);
  };
  for (const version of bucket.versions) tally(version.Key!, "versions");
  for (const marker of bucket.deleteMarkers) tally(marker.Key!, "deleteMarkers");
  return { objects: [...objects.values()], lockItems: lockIds.filter((id) => !own.lockIds.has(id)) };
}

/** What the bucket and the table hold that is not this project's; nothing where they do not exist. */
export async function findForeignState(clients: AwsClients, config: TfstateConfig): Promise<ForeignState> {
  const [bucket, items] = await Promise.all([
    unlessMissing(listObjectVersions(clients, config.stateBucket), "NoSuchBucket"),
    unlessMissing(lockTableItems(clients, config.lockTable), "ResourceNotFoundException"),
  ]);
  return foreignOf(config, bucket ?? { versions: [], deleteMarkers: [] }, Object.keys(items ?? {}));
}

export const hasForeignState = (foreign: ForeignState) => foreign.objects.length > 0 || foreign.lockItems.length > 0;

/** Each foreign object, a line each, with its versions and delete markers. */
function objectLines(objects: ForeignState["objects"]): string[] {
  const count = (n: number, what: string) => (n ? [`${n} ${what}${n === 1 ? "" : "s"}`] : []);
  return objects.map(({ key, versions, deleteMarkers }) => `  object ${key}: ${[...count(versions, "version"), ...count(deleteMarkers, "delete marker")].join(", ")}`);
}

/** The foreign state, a line each, under a heading that says where it is. */
export function describeForeignState(config: TfstateConfig, foreign: ForeignState): string[] {
  return [
    `not this project's stacks' state, in s3://${config.stateBucket} and the lock table ${config.lockTable}:`,
    ...objectLines(foreign.objects),
    ...foreign.lockItems.map((id) => `  lock table item ${id}`),
  ];
}

/**
 * TFSTATE_REPLICA_REGION: what the replica holds that is not this project's stacks' state. Replication copies
 * the state bucket's, and while the state bucket's region is out, state written to the replica is there alone.
 * `replicaClients`: clients in the replica's region. Nothing where the replica does not exist.
 */
export async function findReplicaForeignState(replicaClients: AwsClients, config: TfstateConfig): Promise<ForeignState> {
  const replica = await unlessMissing(listObjectVersions(replicaClients, config.replica!.bucket), "NoSuchBucket");
  return foreignOf(config, replica ?? { versions: [], deleteMarkers: [] }, []);
}

/** The replica's foreign state, a line each, under a heading that says where it is and what it may be. */
export function describeReplicaForeignState(config: TfstateConfig, foreign: ForeignState): string[] {
  const { bucket, region } = config.replica!;
  return [
    `not this project's stacks' state, in the replica s3://${bucket} in ${region} (copies of the state bucket's, or state written there alone while ${config.region} was out):`,
    ...objectLines(foreign.objects),
  ];
}
