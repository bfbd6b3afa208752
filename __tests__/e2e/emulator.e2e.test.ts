// The emulator itself: state locking is only as good as its conditional writes. moto_server answers requests
// on threads of their own and checks a condition apart from the write; lib/local/emulator.ts runs it one request at
// a time, which makes every conditional write atomic. Threaded, one round in forty of forty conditional puts
// of one lock item at once let two succeed; so what is proven here is the cause: a request that has begun
// holds every later one back until it is answered.
import * as net from "net";
import { CreateTableCommand, PutItemCommand } from "@aws-sdk/client-dynamodb";
import { LOCK_HASH_KEY } from "../../config/lock-table";
import { emulatorScenario, sharedEndpoint } from "./support/world";

/** A raw HTTP connection to the emulator: what it has answered so far, and a way to send more. */
function connection(): Promise<{ send(text: string): void; answered: Promise<number> }> {
  const { hostname, port } = new URL(sharedEndpoint());
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname, () => {
      let received = "";
      const answered = new Promise<number>((done) => socket.on("data", (chunk) => (received += chunk) && received.includes("\r\n\r\n") && done(Date.now())));
      resolve({ send: (text) => socket.write(text), answered: answered.finally(() => socket.destroy()) });
    });
    socket.once("error", reject);
  });
}

test("a request that has begun holds back the next one until it is answered: one request at a time", async () => {
  // moto's configuration: a small answer that reads nothing and changes nothing.
  const request = "GET /moto-api/config HTTP/1.1\r\nHost: moto\r\nConnection: close\r\n";
  // The first connection sends all but the blank line that ends its request: the server is reading it.
  const first = await connection();
  first.send(request);
  const second = await connection();
  second.send(`${request}\r\n`);
  const order: string[] = [];
  void second.answered.then(() => order.push("second"));
  // A threaded server answers the second at once; this one must not, however long it is given. A second is
  // given, and the outcome does not depend on it: only the order of the two answers is checked.
  await Promise.race([second.answered, new Promise((resolve) => setTimeout(resolve, 1000))]);
  first.send("\r\n");
  await first.answered.then(() => order.push("first"));
  await second.answered;
  expect(order).toEqual(["first", "second"]);
});

test("of forty conditional puts of one lock item at once, exactly one succeeds", async () => {
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
  const puts = Array.from({ length: 40 }, (_, racer) =>
    dynamodb.send(
      new PutItemCommand({
        TableName,
        Item: { [LOCK_HASH_KEY]: { S: "lock" }, Info: { S: `racer ${racer}` } },
        ConditionExpression: `attribute_not_exists(${LOCK_HASH_KEY})`,
      }),
    ),
  );
  const settled = await Promise.allSettled(puts);
  const refusals = settled.filter((put) => put.status === "rejected").map((put) => (put as PromiseRejectedResult).reason.name);
  expect(new Set(refusals)).toEqual(new Set(["ConditionalCheckFailedException"]));
  expect(settled.length - refusals.length).toBe(1);
});
