import { isStale, lockAgeMs, lockInfoLines, parseLockInfo, splitLockId } from "../../../lib/locks/lock-info";

// As terraform 1.11 writes it into the lock item's Info attribute and into <key>.tflock.
const fields = {
  ID: "ab544596-3e64-15b1-cf2f-31598e5e6087",
  Operation: "OperationTypeApply",
  Info: "",
  Who: "runner@ci-7",
  Version: "1.11.4",
  Created: "2026-11-30T04:55:57.528316155Z",
  Path: "acme-state/env/prod/terraform.tfstate",
};
const written = JSON.stringify(fields);

describe("terraform's Lock Info", () => {
  test("is read field by field, its Created time to the millisecond", () => {
    const info = parseLockInfo(written);
    expect(info).toEqual(fields);
    expect(lockAgeMs(info, new Date("2026-11-30T05:55:57.528Z"))).toBe(3_600_000);
  });

  test("damaged text still gives a lock, with its fields empty and its age unknown", () => {
    const info = parseLockInfo("{not json");
    expect(info).toMatchObject({ ID: "", Who: "", Created: "" });
    expect(Number.isNaN(lockAgeMs(info, new Date()))).toBe(true);
    expect(parseLockInfo(JSON.stringify({ ID: 42, Who: "x" }))).toMatchObject({ ID: "", Who: "x" });
  });

  test("is stale once older than the limit, and when its age cannot be told", () => {
    const info = parseLockInfo(written);
    const created = new Date("2026-11-30T04:55:57.528Z").getTime();
    expect(isStale(info, new Date(created + 3_600_000), 3_600_000)).toBe(false);
    expect(isStale(info, new Date(created + 3_600_001), 3_600_000)).toBe(true);
    expect(isStale(info, new Date(created + 1), 0)).toBe(true);
    expect(isStale(parseLockInfo(""), new Date(created), 3_600_000)).toBe(true);
  });

  test("prints like terraform's Lock Info block, with the age added", () => {
    expect(lockInfoLines(parseLockInfo(written), new Date("2026-11-30T05:00:00Z"))).toEqual([
      "ID:        ab544596-3e64-15b1-cf2f-31598e5e6087",
      "Operation: OperationTypeApply",
      "Info:      ",
      "Who:       runner@ci-7",
      "Version:   1.11.4",
      "Created:   2026-11-30T04:55:57.528316155Z",
      "Path:      acme-state/env/prod/terraform.tfstate",
      "Age:       4 min 2 s",
    ]);
  });
});

describe("a lock item's LockID", () => {
  test("is <bucket>/<key>, split at the first slash (bucket names have none)", () => {
    expect(splitLockId("acme-state/env:/dev/network/terraform.tfstate")).toEqual({ bucket: "acme-state", key: "env:/dev/network/terraform.tfstate" });
  });
});
