// Switching between the three lock modes without losing state, including the checksum trap that
// lockfile-only runs set for DynamoDB locking. Two chains on their own keys cover every ordered pair
// of modes once, side by side.
import { createHash } from "crypto";
import { GetObjectCommand } from "@aws-sdk/client-s3";
import { LockMode } from "../../config/config";
import { countVpcs, describeVpc, lockTableItems } from "../../lib/inspect";
import { digestItemId } from "../../lib/state-digest";
import { Scenario, sharedEndpoint } from "./support/world";

function switchingScenario(name: string) {
  const scenario = new Scenario(name, sharedEndpoint(), { TFSTATE_LOCK: "dynamodb" });
  const clients = scenario.clients();

  /**
   * npm run switch-lock. Into s3 mode a change rides along, so that a lockfile-only apply rewrites the
   * state and leaves the DynamoDB digest stale: the condition the next switch has to survive.
   */
  async function switchTo(mode: LockMode, vpcId: string, vpcCount: number) {
    scenario.set({ TFSTATE_LOCK: mode, ...(mode === "s3" && { VPC_NAME: `e2e-${name}-${Date.now()}` }) });
    const result = await scenario.npmRun("switch-lock", [mode, "--output", scenario.outdir]);
    expect({ code: result.code, tail: result.code === 0 ? "" : result.output.slice(-3000) }).toEqual({ code: 0, tail: "" });
    expect(await describeVpc(clients, vpcId)).toMatchObject({ id: vpcId, name: scenario.env.VPC_NAME });
    expect(await countVpcs(clients, `e2e-${name}`)).toBe(vpcCount);
    if (mode !== "s3") {
      const config = scenario.config();
      const object = await clients.s3.send(new GetObjectCommand({ Bucket: config.stateBucket, Key: config.stateKey }));
      const md5 = createHash("md5").update(await object.Body!.transformToByteArray()).digest("hex");
      const items = await lockTableItems(clients, config.lockTable, `${config.stateBucket}/${config.stateKey}`);
      expect(items).toEqual({ [digestItemId(config.stateBucket, config.stateKey)]: { Digest: md5 } });
    }
  }

  async function start() {
    const vpcId = (await scenario.deploy("vpc")).vpc_id;
    return { vpcId, vpcCount: await countVpcs(clients, `e2e-${name}`) };
  }

  return { scenario, switchTo, start };
}

test.concurrent("dynamodb -> s3, the checksum trap, then s3 -> both -> dynamodb", async () => {
  const { scenario, switchTo, start } = switchingScenario("switch-a");
  const { vpcId, vpcCount } = await start();
  await switchTo("s3", vpcId, vpcCount);

  // The trap is real: a plain re-init into dynamodb mode after an s3-mode apply fails on the stale digest.
  scenario.set({ TFSTATE_LOCK: "dynamodb" });
  const naive = await scenario.run("deploy", "vpc", ["--migrate-state"]);
  expect(naive.code).not.toBe(0);
  expect(naive.output).toMatch(/does not match the checksum stored in DynamoDB|checksum calculated for the state stored in S3/);

  await switchTo("both", vpcId, vpcCount);
  await switchTo("dynamodb", vpcId, vpcCount);
});

test.concurrent("dynamodb -> both -> s3 -> dynamodb", async () => {
  const { scenario, switchTo, start } = switchingScenario("switch-b");
  const { vpcId, vpcCount } = await start();
  await switchTo("both", vpcId, vpcCount);
  await switchTo("s3", vpcId, vpcCount);
  await switchTo("dynamodb", vpcId, vpcCount);
  await scenario.expectNoChanges("vpc");
});
