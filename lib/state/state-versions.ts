// npm run versions: a stack's state object, version by version, with what terraform recorded in each.
import { GetObjectCommand } from "@aws-sdk/client-s3";
import { AwsClients } from "../aws/clients";
import { stateVersions } from "../aws/inspect";
import { TerraformState, parseState } from "./terraform-state";

export interface StateVersion {
  readonly versionId: string;
  readonly lastModified?: Date;
  readonly size?: number;
  readonly isLatest: boolean;
  /** What the version holds; undefined with `problem` set when it is not a terraform state. */
  readonly state?: TerraformState;
  readonly problem?: string;
}

// Reads at most this many versions at a time.
const PARALLEL_READS = 8;

/** One version of a state object's body, or the current one. */
export async function readStateObject({ s3 }: AwsClients, bucket: string, key: string, versionId?: string): Promise<{ body: string; versionId: string }> {
  const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key, VersionId: versionId }));
  return { body: await object.Body!.transformToString(), versionId: object.VersionId ?? "null" };
}

/** Every version of the state at `key`, newest first, each with its serial, lineage and resources. */
export async function describeStateVersions(clients: AwsClients, bucket: string, key: string): Promise<StateVersion[]> {
  const listed = await stateVersions(clients, bucket, key);
  const described: StateVersion[] = [];
  for (let start = 0; start < listed.length; start += PARALLEL_READS) {
    const batch = listed.slice(start, start + PARALLEL_READS).map(async (version): Promise<StateVersion> => {
      const versionId = version.VersionId ?? "null";
      const row = { versionId, lastModified: version.LastModified, size: version.Size, isLatest: version.IsLatest ?? false };
      try {
        return { ...row, state: parseState((await readStateObject(clients, bucket, key, versionId)).body) };
      } catch (error) {
        return { ...row, problem: error instanceof Error ? error.message : String(error) };
      }
    });
    described.push(...(await Promise.all(batch)));
  }
  return described;
}

/** The versions as a table, one row each, the current one marked. */
export function formatStateVersions(versions: readonly StateVersion[]): string {
  const header = ["VERSION ID", "TIME (UTC)", "SIZE", "SERIAL", "LINEAGE", "RESOURCES", ""];
  const rows = versions.map((v) => [
    v.versionId,
    v.lastModified ? v.lastModified.toISOString().replace(/\.\d+Z$/, "Z") : "-",
    v.size === undefined ? "-" : String(v.size),
    v.state ? String(v.state.serial) : "-",
    v.state?.lineage ?? "-",
    v.state ? String(v.state.addresses.length) : "-",
    [v.isLatest ? "current" : "", v.problem ?? ""].filter(Boolean).join("; "),
  ]);
  const widths = header.map((_, i) => Math.max(...[header, ...rows].map((row) => row[i].length)));
  return [header, ...rows].map((row) => row.map((cell, i) => cell.padEnd(widths[i])).join("  ").trimEnd()).join("\n");
}
