// The emulator itself: state locking is only as good as its conditional writes. moto_server answers requests
// on threads of their own and checks a condition apart from the write; lib/local/emulator.ts runs it one request at
// a time. Threaded, one round in forty here let two of forty puts of one lock item both succeed.
import { CreateTableCommand, PutItemCommand } from "@aws-sdk/client-dynamodb";
import { LOCK_HASH_KEY } from "../../config/lock-table";
import { emulatorScenario } from "./support/world";

test("of forty conditional puts of one lock item at once, exactly one succeeds, forty rounds over", async () => {
  const { dynamodb } = emulatorScenario("shared").clients();
  const TableName = "e2e-emulator-conditional-puts";
  await dynamodb.send(
    new CreateTableCommand({
      TableName,
      BillingMode: "PAY_PER_REQUEST",
      KeySchema: [{ AttributeName: LOCK_HASH_KEY, KeyType: "HASH" }],
      AttributeDefinitions: [{ AttributeName: LOCK_HASH_KEY, AttributeType: "S" }],
    }),
  );
  const winners: number[] = [];
  for (let round = 0; round < 40; round++) {
    const puts = Array.from({ length: 40 }, (_, racer) =>
      dynamodb.send(
        new PutItemCommand({
          TableName,
          Item: { [LOCK_HASH_KEY]: { S: `round-${round}` }, Info: { S: `racer ${racer}` } },
          ConditionExpression: `attribute_not_exists(${LOCK_HASH_KEY})`,
        }),
      ),
    );
    const settled = await Promise.allSettled(puts);
    const refusals = settled.filter((put) => put.status === "rejected").map((put) => (put as PromiseRejectedResult).reason.name);
    expect(new Set(refusals)).toEqual(new Set(["ConditionalCheckFailedException"]));
    winners.push(settled.length - refusals.length);
  }
  expect(winners).toEqual(Array(40).fill(1));
});
