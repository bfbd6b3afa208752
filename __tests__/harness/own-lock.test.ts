// The e2e suite's deploy helper force-unlocks a lock only when it can be the deploy's own. That helper is
// harness, not product: its tests run in the harness suite (npm run test:harness), not in npm test.
import * as os from "os";
import { ownStaleLock, reportedLock } from "../e2e/support/own-lock";

// Who terraform says holds a lock taken here: the user's name, "@", the host's name. Written out rather
// than taken from lib/state-lock's LOCK_OWNER, which the helper compares with: a wrong one fails here.
const HERE = () => `${os.userInfo().username}@${os.hostname()}`;

// How cdktf --no-color passes on terraform's lock error: the first line prefixed with the stack.
const lockError = (who: string, created: string) =>
  [
    "vpc  Error: Error acquiring the state lock",
    "     ",
    "     Error message: operation error DynamoDB: PutItem, https response error StatusCode: 400,",
    "     RequestID: G5bIlWFaXAxQUlXnwkT8VZkibimVhtZ9F63MvyDwWYY3eVvvH6NW, ConditionalCheckFailedException:",
    "     The conditional request failed",
    "     Lock Info:",
    "       ID:        6040a5e2-e4c6-bdc6-642c-4dc7d8c628e3",
    "       Path:      e2e-shared-state/e2e/teardown/terraform.tfstate",
    "       Operation: OperationTypeApply",
    `       Who:       ${who}`,
    "       Version:   1.11.4",
    `       Created:   ${created}`,
    "       Info:      ",
  ].join("\n");

describe("the e2e deploy's own-lock check", () => {
  const started = new Date("2026-11-24T07:51:10Z");

  test("reads the lock's ID, owner and creation time from terraform's error", () => {
    expect(reportedLock(lockError("alice@build-7", "2026-11-24 07:51:16.2928123 +0000 UTC"))).toEqual({
      id: "6040a5e2-e4c6-bdc6-642c-4dc7d8c628e3",
      who: "alice@build-7",
      created: new Date("2026-11-24T07:51:16.292Z"),
    });
  });

  test("a lock taken here after the deploy started is the deploy's own", () => {
    expect(ownStaleLock(lockError(HERE(), "2026-11-24 07:51:16.2928 +0000 UTC"), started)?.id).toBe("6040a5e2-e4c6-bdc6-642c-4dc7d8c628e3");
  });

  test("a lock from before the deploy, or from another user or host, is somebody else's", () => {
    const after = "2026-11-24 07:51:16.2928 +0000 UTC";
    expect(ownStaleLock(lockError(HERE(), "2026-11-24 07:51:09.9 +0000 UTC"), started)).toBeUndefined();
    expect(ownStaleLock(lockError("alice@build-7", after), started)).toBeUndefined();
    expect(ownStaleLock(lockError(`${os.userInfo().username}@build-7`, after), started)).toBeUndefined();
    expect(ownStaleLock(lockError(`alice@${os.hostname()}`, after), started)).toBeUndefined();
  });

  test("reads the same from terraform's boxed format", () => {
    const boxed = lockError(HERE(), "2026-11-24 07:51:16.2928 +0000 UTC").replace(/^ {5}/gm, "     │ ");
    expect(reportedLock(boxed)?.id).toBe("6040a5e2-e4c6-bdc6-642c-4dc7d8c628e3");
  });

  test("any other failure is not a lock at all", () => {
    expect(ownStaleLock("vpc  │ Error: creating EC2 VPC: InvalidParameterValue", started)).toBeUndefined();
  });
});
