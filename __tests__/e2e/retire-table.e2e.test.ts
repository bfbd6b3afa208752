// The way off DynamoDB locking, which Terraform 1.11 deprecated: dynamodb -> both -> s3 -> the table
// retired, with the bootstrap stack keeping its table in the s3 mode until npm run retire-table removes it,
// and a second team's digest item in the table making the retirement refuse. It ends with doctor healthy and
// no changes planned in any stack. A moto of this file's own: doctor checks everything in the bucket and the
// table, and the table goes away.
import * as fs from "fs";
import * as path from "path";
import { DeleteItemCommand, PutItemCommand } from "@aws-sdk/client-dynamodb";
import { HeadBucketCommand } from "@aws-sdk/client-s3";
import { LockMode } from "../../config/config";
import { LOCK_HASH_KEY } from "../../config/lock-table";
import { lockTableIfAny } from "../../lib/aws/inspect";
import { Emulator, startEmulator } from "../../lib/local/emulator";
import { succeeded } from "../../lib/process/cdktf";
import { expectExit } from "./support/recovery";
import { E2E_DIR, Scenario, step } from "./support/world";

let emulator: Emulator | undefined;
afterAll(() => emulator?.stop());

const DOCTOR_LINE =
  "! lock: DynamoDB locking is deprecated since Terraform 1.11 (dynamodb_table); move to the lock file: npm run switch-lock -- both, then -- s3, then npm run retire-table";

test("dynamodb -> both -> s3 -> table retired: doctor healthy, no changes anywhere; a second team's digest item makes retire-table refuse", async () => {
  emulator = await startEmulator({ logFile: path.join(E2E_DIR, "moto-retire.log") });
  const scenario = new Scenario("retire", emulator.endpoint, { TFSTATE_LOCK: "dynamodb", VPC_FLOW_LOGS: "false" });
  const config = scenario.config();
  const clients = scenario.clients();
  const table = config.lockTable;
  const tableInSynth = () =>
    Boolean(JSON.parse(fs.readFileSync(path.join(scenario.stackDir("bootstrap"), "cdk.tf.json"), "utf8")).resource.aws_dynamodb_table);

  /** npm run switch-lock, then a bootstrap deploy: the state-access policies follow the lock mode. */
  const switchTo = async (mode: LockMode) => {
    scenario.set({ TFSTATE_LOCK: mode });
    succeeded(await scenario.npmRun("switch-lock", [mode, "--output", scenario.outdir]), `npm run switch-lock -- ${mode}`);
    await scenario.apply("bootstrap");
    expect(await lockTableIfAny(clients, table)).toMatchObject({ deletionProtection: true });
  };

  const vpcBackend = () => JSON.parse(fs.readFileSync(path.join(scenario.stackDir("vpc"), "cdk.tf.json"), "utf8")).terraform.backend.s3;

  await step("bootstrap and vpc in the default dynamodb mode: doctor names the way off", async () => {
    await scenario.apply("bootstrap");
    await scenario.apply("vpc");
    expect(vpcBackend().dynamodb_table).toBe(table);
    const doctor = await scenario.npmRun("doctor");
    expectExit(doctor, 0);
    expect(doctor.output).toContain(`${DOCTOR_LINE}\n`);
  });

  await step("both: retire-table refuses while the table is still the lock", async () => {
    await switchTo("both");
    const refused = await scenario.npmRun("retire-table", ["--yes", "--output", scenario.outdir]);
    expectExit(refused, 3);
    expect(refused.output).toContain(`refused: TFSTATE_LOCK=both still locks with table ${table}`);
  });

  await step("s3: no dynamodb_table in any backend; bootstrap keeps its table, protected, until it is retired on purpose", async () => {
    await switchTo("s3");
    expect(tableInSynth()).toBe(true);
    expect(vpcBackend()).toMatchObject({ use_lockfile: true });
    expect(vpcBackend().dynamodb_table).toBeUndefined();
    await scenario.expectNoChanges("bootstrap");
    await scenario.expectNoChanges("vpc");
  });

  const foreign = { [LOCK_HASH_KEY]: { S: `${config.stateBucket}/teams/network/terraform.tfstate-md5` } };
  await step("a second team's digest item in the table: retire-table refuses, naming it, and changes nothing", async () => {
    await clients.dynamodb.send(new PutItemCommand({ TableName: table, Item: { ...foreign, Digest: { S: "0cc175b9c0f1b6a831c399e269772661" } } }));
    const refused = await scenario.npmRun("retire-table", ["--yes", "--output", scenario.outdir]);
    expectExit(refused, 3);
    expect(refused.output).toContain(`  item ${foreign[LOCK_HASH_KEY].S}: a digest of state that is not this project's stacks'`);
    expect(refused.output).toContain(`refused: table ${table} is still in use (above); nothing was changed`);
    expect(await lockTableIfAny(clients, table)).toMatchObject({ deletionProtection: true });
  });

  await step("once that item is gone, retire-table removes the table through bootstrap, and nothing else", async () => {
    await clients.dynamodb.send(new DeleteItemCommand({ TableName: table, Key: foreign }));
    const retired = await scenario.npmRun("retire-table", ["--yes", "--output", scenario.outdir]);
    expectExit(retired, 0);
    expect(retired.output).toContain(`done: table ${table} is retired`);
    expect(await lockTableIfAny(clients, table)).toBeUndefined();
    await clients.s3.send(new HeadBucketCommand({ Bucket: config.stateBucket }));
    const outputs = JSON.parse(succeeded(await scenario.terraform("bootstrap", ["output", "-json"]), "terraform output").output);
    expect(Object.keys(outputs)).not.toContain("lock_table_name");
    expect(tableInSynth()).toBe(false);
  });

  await step("doctor is healthy without the table, and no stack plans a change", async () => {
    const doctor = await scenario.npmRun("doctor", ["--verbose"]);
    expectExit(doctor, 0);
    expect(doctor.output).toContain(`table ${table}: none, and the s3 lock mode needs none`);
    expect(doctor.output).not.toContain("deprecated");
    expect(doctor.output).not.toContain("✗");
    await scenario.expectNoChanges("bootstrap");
    await scenario.expectNoChanges("vpc");
  });
});
