import { locksTable } from "../../../lib/commands/locks";
import { HOUR, NOW, heldLock } from "../../support/backend-readings";

describe("npm run locks", () => {
  test("lists each lock with its state, mechanism, ID, Who, Operation, Created and age, oldest first", () => {
    const fresh = heldLock("dynamodb", "acme-state", "network/terraform.tfstate", "6040a5e2-e4c6-bdc6-642c-4dc7d8c628e3", 12_000, "alice@laptop");
    const old = heldLock("s3", "acme-state", "env:/dev/app.tfstate", "ab544596-3e64-15b1-cf2f-31598e5e6087", 26 * HOUR);
    expect(locksTable([fresh, old], NOW)).toEqual([
      "STATE                                      MECHANISM  ID                                    WHO           OPERATION           CREATED                         AGE",
      "s3://acme-state/env:/dev/app.tfstate       s3         ab544596-3e64-15b1-cf2f-31598e5e6087  ci@runner-7   OperationTypeApply  2026-11-29T10:00:00.000123456Z  1 d 2 h",
      "s3://acme-state/network/terraform.tfstate  dynamodb   6040a5e2-e4c6-bdc6-642c-4dc7d8c628e3  alice@laptop  OperationTypeApply  2026-11-30T11:59:48.000123456Z  12 s",
    ]);
  });
});
