// The deploy helper's one recovery: a lock that the deploy itself left behind is force-unlocked and the
// deploy runs once more. The stale lock is planted the way such a failure leaves it: by this user on this
// host, after the deploy started.
import { randomUUID } from "crypto";
import { PutItemCommand } from "@aws-sdk/client-dynamodb";
import { LOCK_HASH_KEY } from "../../config/lock-table";
import { describeVpc, lockTableItems } from "../../lib/aws/inspect";
import { digestItemId, lockItemId } from "../../lib/locks/state-digest";
import { lockOwner } from "../../lib/locks/state-lock";
import { Scenario, sharedEndpoint } from "./support/world";

test("a deploy that meets its own stale lock force-unlocks it, deploys once more, and leaves only the digest", async () => {
  const scenario = new Scenario("own-lock", sharedEndpoint(), { VPC_FLOW_LOGS: "false" });
  const config = scenario.config();
  const clients = scenario.clients();
  const lockId = lockItemId(config.stateBucket, config.stateKey);

  const staleLock = {
    ID: randomUUID(),
    Operation: "OperationTypeApply",
    Info: "",
    Who: lockOwner(),
    Version: "1.11.4",
    Created: "",
    Path: lockId,
  };
  // Planted after the deploy's start is recorded and before cdktf starts: by this user, on this host, after
  // the deploy started, and already there when terraform asks for the lock.
  const plant = async () => {
    staleLock.Created = new Date().toISOString();
    await clients.dynamodb.send(
      new PutItemCommand({
        TableName: config.lockTable,
        Item: { [LOCK_HASH_KEY]: { S: lockId }, Info: { S: JSON.stringify(staleLock) } },
        ConditionExpression: `attribute_not_exists(${LOCK_HASH_KEY})`,
      }),
    );
  };

  const outputs = await scenario.deploy("vpc", [], plant);
  expect(scenario.forceUnlocked).toEqual([staleLock.ID]);
  expect(await describeVpc(clients, outputs.vpc_id)).toMatchObject({ name: config.vpcName });
  expect(Object.keys(await lockTableItems(clients, config.lockTable, lockId))).toEqual([digestItemId(config.stateBucket, config.stateKey)]);
});
