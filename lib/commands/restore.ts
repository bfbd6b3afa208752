// npm run restore: an earlier version of a stack's state becomes the current one again, as a new version.
// terraform's own `state push` refuses a state whose serial is older than the current one; this writes the
// old content with the next serial instead, under the stack's lock, and keeps every version.
import { HeadObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { loadConfig, usesDynamodbLock } from "../../config/config";
import { awsClients } from "../aws/clients";
import { unlessMissing } from "../aws/not-found";
import { backendEncryption } from "../state/backend-encryption";
import { stateVersions } from "../aws/inspect";
import { confirmByTyping } from "../cli/confirm";
import { Refusal } from "../cli/errors";
import { remoteStateKey } from "../state/stack-states";
import { recordStateDigest } from "../locks/state-digest";
import { lockState } from "../locks/state-lock";
import { readStateObject } from "../state/state-versions";
import { TerraformState, parseState, resourceChanges, withSerialAndLineage } from "../state/terraform-state";

export interface RestoreOptions {
  readonly stack: string;
  readonly versionId: string;
  readonly yes: boolean;
  readonly forceLineage: boolean;
}

interface StateVersionRead {
  readonly versionId: string;
  readonly body: string;
  readonly state: TerraformState;
}

/** The serial and lineage the restored content is written with; a lineage that differs is refused unless forced. */
export function restoredIdentity(current: TerraformState | undefined, restored: TerraformState, forceLineage: boolean): { serial: number; lineage: string } {
  if (!current) return { serial: restored.serial, lineage: restored.lineage };
  if (restored.lineage !== current.lineage && !forceLineage) {
    throw new Refusal(
      `that version has lineage ${restored.lineage} and the current state ${current.lineage}: it is another state's history, not an earlier point ` +
        `of this one; pass --force-lineage to restore it all the same, under the current lineage`,
    );
  }
  return { serial: current.serial + 1, lineage: current.lineage };
}

// No current version: the latest is a delete marker (GetObject's NoSuchKey, HeadObject's NotFound).
const MISSING = ["NoSuchKey", "NotFound"];

/** What the restore changes, before it asks: the resources entering and leaving state, and the serial. */
export function restoreSummary(current: StateVersionRead | undefined, restored: StateVersionRead, identity: { serial: number; lineage: string }): string[] {
  const { entering, leaving } = resourceChanges(current?.state.addresses ?? [], restored.state.addresses);
  const describe = ({ versionId, state }: StateVersionRead) => `version ${versionId}, serial ${state.serial}, ${state.addresses.length} resource(s)`;
  return [
    `  now:     ${current ? describe(current) : "no current version (the latest is a delete marker)"}`,
    `  restore: ${describe(restored)}`,
    `  enters state: ${entering.join(", ") || "nothing"}`,
    `  leaves state: ${leaving.join(", ") || "nothing"}`,
    `  serial: ${current ? `${current.state.serial} -> ` : ""}${identity.serial}, lineage ${identity.lineage}; written as a new version, none is deleted`,
  ];
}

export async function restoreStateVersion(options: RestoreOptions, log: (line: string) => void = console.log): Promise<void> {
  const config = loadConfig();
  const clients = awsClients(config);
  const key = remoteStateKey(config, options.stack);
  const where = `s3://${config.stateBucket}/${key}`;
  const location = { Bucket: config.stateBucket, Key: key };
  const read = async (versionId?: string): Promise<StateVersionRead> => {
    const object = await readStateObject(clients, config.stateBucket, key, versionId);
    return { ...object, state: parseState(object.body) };
  };

  if (!(await stateVersions(clients, config.stateBucket, key)).some((v) => v.VersionId === options.versionId)) {
    throw new Error(`${where} has no version ${options.versionId}; npm run versions -- ${options.stack} lists them`);
  }
  const restored = await read(options.versionId);
  const current = await unlessMissing(read(), ...MISSING);
  if (current?.versionId === options.versionId) {
    log(`${options.versionId} is already the current version of ${where}; nothing to restore`);
    return;
  }
  const identity = restoredIdentity(current?.state, restored.state, options.forceLineage);
  log(`restore ${options.stack}: ${where}`);
  restoreSummary(current, restored, identity).forEach((line) => log(line));
  await confirmByTyping({ expected: "yes", question: "Type yes to restore: ", yes: options.yes, action: "restore it", untouched: "nothing was written" });

  const lock = await lockState(clients, config, key, "restore", `npm run restore -- ${options.stack} ${options.versionId}`);
  log(`took the state lock ${lock.info.ID}`);
  let written: string | undefined;
  try {
    // What the summary showed must still be what is replaced: an apply may have finished before the lock was taken.
    const now = (await unlessMissing(clients.s3.send(new HeadObjectCommand(location)), ...MISSING))?.VersionId;
    if (now !== current?.versionId) throw new Refusal(`${where} changed after the summary (now version ${now}); nothing was written, run the restore again`);
    const body = withSerialAndLineage(restored.body, identity.serial, identity.lineage);
    written = (await clients.s3.send(new PutObjectCommand({ ...location, Body: body, ContentType: "application/json", ...backendEncryption(config, key) }))).VersionId;
    // The digest that terraform checks the state against in the dynamodb and both lock modes.
    if (usesDynamodbLock(config)) await recordStateDigest(clients, config, key, body);
  } finally {
    await lock.release();
    log(`released the state lock ${lock.info.ID}`);
  }
  log(`restored: ${where} is now version ${written}: the content of ${options.versionId}, serial ${identity.serial}`);
  if (current) log(`to undo: npm run restore -- ${options.stack} ${current.versionId}`);
}
