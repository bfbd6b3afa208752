// Switching between the three lock modes without losing state, including the checksum trap that
// lockfile-only runs set for DynamoDB locking, and without applying anything else. One chain covers every
// ordered pair of modes once: dynamodb -> s3 -> both -> dynamodb -> both -> s3 -> dynamodb.
import { createHash } from "crypto";
import { GetObjectCommand } from "@aws-sdk/client-s3";
import { LockMode } from "../../config/config";
import { reportsNoChanges, succeeded } from "../../lib/process/cdktf";
import { countVpcs, describeVpc, lockTableItems } from "../../lib/aws/inspect";
import { digestItemId } from "../../lib/locks/state-digest";
import { Scenario, sharedEndpoint, step } from "./support/world";

function switchingScenario(name: string) {
  const scenario = new Scenario(name, sharedEndpoint(), { TFSTATE_LOCK: "dynamodb", VPC_FLOW_LOGS: "false" });
  const clients = scenario.clients();
  let vpc: { id: string; count: number };

  async function start(): Promise<string> {
    const id = (await scenario.apply("vpc")).vpc_id;
    vpc = { id, count: await countVpcs(clients, `e2e-${name}`) };
    return id;
  }

  /** npm run switch-lock: afterwards the same VPC, no new one, and in a DynamoDB mode a digest that matches the state. */
  async function switchTo(mode: LockMode) {
    scenario.set({ TFSTATE_LOCK: mode });
    succeeded(await scenario.npmRun("switch-lock", [mode, "--output", scenario.outdir]), `npm run switch-lock -- ${mode}`);
    expect((await describeVpc(clients, vpc.id)).id).toBe(vpc.id);
    expect(await countVpcs(clients, `e2e-${name}`)).toBe(vpc.count);
    if (mode !== "s3") {
      const config = scenario.config();
      const object = await clients.s3.send(new GetObjectCommand({ Bucket: config.stateBucket, Key: config.stateKey }));
      const md5 = createHash("md5").update(await object.Body!.transformToByteArray()).digest("hex");
      const items = await lockTableItems(clients, config.lockTable, `${config.stateBucket}/${config.stateKey}`);
      expect(items).toEqual({ [digestItemId(config.stateBucket, config.stateKey)]: { Digest: md5 } });
    }
  }

  return { scenario, clients, start, switchTo };
}

test("dynamodb -> s3 with a change pending, the checksum trap, then s3 -> both -> dynamodb -> both -> s3 -> dynamodb", async () => {
  const { scenario, clients, start, switchTo } = switchingScenario("switch-lock");
  const vpcId = await step("deploy in dynamodb mode", start);

  const renamed = "e2e-switch-lock-renamed";
  await step("switch-lock to s3 changes the lock and nothing else: a pending rename stays pending", async () => {
    scenario.set({ VPC_NAME: renamed });
    await switchTo("s3");
    expect((await describeVpc(clients, vpcId)).name).toBe("e2e-switch-lock");
    const plan = await scenario.plan("vpc");
    expect({ code: plan.code, noChanges: reportsNoChanges(plan.output) }).toEqual({ code: 2, noChanges: false });
    expect(plan.output).toMatch(/1 to change/);
  });

  await step("an apply in s3 mode writes the state but leaves the DynamoDB digest stale", async () => {
    expect((await scenario.apply("vpc")).vpc_id).toBe(vpcId);
    expect((await describeVpc(clients, vpcId)).name).toBe(renamed);
  });

  await step("the trap is real: a plain re-init into dynamodb mode fails on the stale digest", async () => {
    scenario.set({ TFSTATE_LOCK: "dynamodb" });
    const naive = await scenario.tryApply("vpc", { migrateState: true });
    expect(naive.code).not.toBe(0);
    expect(naive.output).toMatch(/does not match the checksum stored in DynamoDB|checksum calculated for the state stored in S3/);
  });

  await step("switch-lock to both, then to dynamodb", async () => {
    await switchTo("both");
    await switchTo("dynamodb");
  });

  await step("switch-lock to both, s3, dynamodb", async () => {
    await switchTo("both");
    await switchTo("s3");
    await switchTo("dynamodb");
  });

  await step("nothing to change afterwards", () => scenario.expectNoChanges("vpc"));
});
