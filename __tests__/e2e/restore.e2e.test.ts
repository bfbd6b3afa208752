// A state damaged by mistake, and the way back: npm run versions shows what terraform recorded in each
// version, and npm run restore makes the last good one current again, under the lock, deleting nothing.
// TFSTATE_LOCK=both: the restore takes the DynamoDB lock and the lock file, and keeps the digest current.
import { createHash } from "crypto";
import { DeleteItemCommand, GetItemCommand, PutItemCommand } from "@aws-sdk/client-dynamodb";
import { GetObjectCommand } from "@aws-sdk/client-s3";
import { LOCK_HASH_KEY } from "../../config/lock-table";
import { succeeded } from "../../lib/process/cdktf";
import { listObjectVersions } from "../../lib/aws/bucket-versions";
import { countVpcs, stateVersions } from "../../lib/aws/inspect";
import { runProcess } from "../../lib/process/run-process";
import { digestItemId, lockItemId, lockfileExists, lockfileKey } from "../../lib/locks/state-digest";
import { lockOwner } from "../../lib/locks/state-lock";
import { Scenario, sharedEndpoint, step } from "./support/world";

/** npm run versions' rows, by version ID. */
function versionRows(output: string): Map<string, { serial: string; lineage: string; resources: string; current: boolean }> {
  const lines = output.split("\n");
  const rows = lines.slice(lines.findIndex((line) => line.startsWith("VERSION ID")) + 1).filter(Boolean);
  return new Map(
    rows.map((line) => {
      const [id, , , serial, lineage, resources, mark] = line.split(/\s{2,}/);
      return [id, { serial, lineage, resources, current: mark === "current" }];
    }),
  );
}

test("terraform state rm by mistake, then npm run restore to the version before it", async () => {
  const scenario = new Scenario("restore", sharedEndpoint(), { TFSTATE_LOCK: "both", VPC_FLOW_LOGS: "false", VPC_CIDR: "10.43.0.0/16" });
  const clients = scenario.clients();
  const config = scenario.config();
  const state = { Bucket: config.stateBucket, Key: config.stateKey };
  const inStackDir = (args: string[]) => runProcess("terraform", args, { cwd: scenario.stackDir("vpc"), env: scenario.env });
  const versionIds = async () => (await stateVersions(clients, config.stateBucket, config.stateKey)).map((v) => v.VersionId!);
  const currentBody = async () => (await clients.s3.send(new GetObjectCommand(state))).Body!.transformToString();

  const vpcId = await step("the VPC is deployed", async () => (await scenario.apply("vpc")).vpc_id);
  const [good] = await versionIds();

  const damaged = await step("terraform state rm of the VPC, in the stack's directory, writes a version without it", async () => {
    succeeded(await inStackDir(["state", "rm", "aws_vpc.main"]), "terraform state rm aws_vpc.main");
    const [latest, previous] = await versionIds();
    expect(previous).toBe(good);
    return latest;
  });

  await step("the plan now wants a second VPC, while the first still exists", async () => {
    const plan = await inStackDir(["plan", "-no-color", "-input=false", "-detailed-exitcode"]);
    expect(plan.code).toBe(2);
    expect(plan.output).toContain("aws_vpc.main will be created");
    expect(await countVpcs(clients, "e2e-restore")).toBe(1);
  });

  const rows = await step("npm run versions lists both, with their serials, one lineage, and one resource fewer in the damaged one", async () => {
    const listed = await scenario.npmRun("versions", ["vpc"]);
    succeeded(listed, "npm run versions -- vpc");
    const byId = versionRows(listed.output);
    const [before, after] = [byId.get(good)!, byId.get(damaged)!];
    expect(after.current).toBe(true);
    expect(Number(after.serial)).toBe(Number(before.serial) + 1);
    expect(after.lineage).toBe(before.lineage);
    expect(Number(after.resources)).toBe(Number(before.resources) - 1);
    return byId;
  });

  await step("while someone else holds the lock, restore refuses and writes nothing", async () => {
    const lock = { TableName: config.lockTable, Key: { [LOCK_HASH_KEY]: { S: lockItemId(config.stateBucket, config.stateKey) } } };
    const info = { ID: "11111111-2222-4333-8444-555555555555", Operation: "OperationTypeApply", Info: "", Who: "alice@ci-runner", Version: "1.11.4", Created: new Date().toISOString(), Path: lock.Key[LOCK_HASH_KEY].S };
    await clients.dynamodb.send(new PutItemCommand({ TableName: lock.TableName, Item: { ...lock.Key, Info: { S: JSON.stringify(info) } } }));
    try {
      const refused = await scenario.npmRun("restore", ["vpc", good, "--yes"]);
      expect(refused.code).toBe(3);
      expect(refused.output).toContain(`the state is locked, held by alice@ci-runner since ${info.Created} for OperationTypeApply (lock ID ${info.ID})`);
      expect((await versionIds())[0]).toBe(damaged);
      // The lock file it took first is given back when the table's lock is refused.
      expect(await lockfileExists(clients, config, config.stateKey)).toBe(false);
    } finally {
      await clients.dynamodb.send(new DeleteItemCommand(lock));
    }
  });

  const restoreOutput = await step("npm run restore to the version before the damage brings the VPC back into state, as a new version", async () => {
    const restored = await scenario.npmRun("restore", ["vpc", good, "--yes"]);
    succeeded(restored, `npm run restore -- vpc ${good} --yes`);
    const serial = Number(rows.get(damaged)!.serial) + 1;
    expect(restored.output).toContain("  enters state: aws_vpc.main\n  leaves state: nothing\n");
    expect(restored.output).toContain(`  serial: ${serial - 1} -> ${serial}, lineage ${rows.get(good)!.lineage}`);
    const current = JSON.parse(await currentBody());
    expect({ serial: current.serial, lineage: current.lineage }).toEqual({ serial, lineage: rows.get(good)!.lineage });
    expect(current.resources.find((r: { type: string }) => r.type === "aws_vpc").instances[0].attributes.id).toBe(vpcId);
    return restored.output;
  });

  await step("it held both locks while it wrote, released them, and left the digest matching the state", async () => {
    const trail = await listObjectVersions(clients, config.stateBucket, lockfileKey(config.stateKey));
    const lockBodies = await Promise.all(
      trail.versions.map(async ({ VersionId }) =>
        JSON.parse(await (await clients.s3.send(new GetObjectCommand({ Bucket: config.stateBucket, Key: lockfileKey(config.stateKey), VersionId }))).Body!.transformToString()),
      ),
    );
    // The lock file's versions keep what each holder wrote; the restore's is among them.
    const lockId = /took the state lock (\S+)/.exec(restoreOutput)?.[1];
    expect(lockBodies.find((info) => info.ID === lockId)).toMatchObject({ Operation: "restore", Who: lockOwner(), Path: lockItemId(config.stateBucket, config.stateKey) });
    expect(await lockfileExists(clients, config, config.stateKey)).toBe(false);
    const digestKey = { [LOCK_HASH_KEY]: { S: digestItemId(config.stateBucket, config.stateKey) } };
    const lockKey = { [LOCK_HASH_KEY]: { S: lockItemId(config.stateBucket, config.stateKey) } };
    expect((await clients.dynamodb.send(new GetItemCommand({ TableName: config.lockTable, Key: lockKey }))).Item).toBeUndefined();
    const digest = (await clients.dynamodb.send(new GetItemCommand({ TableName: config.lockTable, Key: digestKey }))).Item?.Digest?.S;
    expect(digest).toBe(createHash("md5").update(await currentBody()).digest("hex"));
  });

  await step("a plan shows no changes: the VPC in state is the VPC that exists", () => scenario.expectNoChanges("vpc"));

  await step("the damaged version is still listed by npm run versions, below the restored one", async () => {
    const listed = await scenario.npmRun("versions", ["vpc"]);
    succeeded(listed, "npm run versions -- vpc");
    const byId = versionRows(listed.output);
    expect(byId.get(damaged)).toMatchObject({ current: false });
    expect(byId.get(good)).toMatchObject({ current: false });
    expect([...byId.values()].find((row) => row.current)).toMatchObject({ serial: String(Number(rows.get(damaged)!.serial) + 1) });
    expect(byId.size).toBe(rows.size + 1);
  });
});
