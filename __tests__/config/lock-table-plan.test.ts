import { ConfigError } from "../../config/config";
import { lockTablePlan, retireStage } from "../../config/lock-table-plan";
import { configWith } from "../support/synth";

describe("whether bootstrap has a lock table", () => {
  test("dynamodb and both: always, protected, whatever the state holds", () => {
    for (const mode of ["dynamodb", "both"]) {
      expect(lockTablePlan(configWith({ TFSTATE_LOCK: mode }))).toBe("kept");
      expect(lockTablePlan(configWith({ TFSTATE_LOCK: mode }), { inBootstrapState: false })).toBe("kept");
    }
  });

  test("s3, a new bootstrap (or not looked up): none", () => {
    expect(lockTablePlan(configWith({ TFSTATE_LOCK: "s3" }))).toBe("none");
    expect(lockTablePlan(configWith({ TFSTATE_LOCK: "s3" }), { inBootstrapState: false })).toBe("none");
  });

  test("s3, a bootstrap whose state holds a table: kept, until retire-table lifts its protection and then leaves it out", () => {
    const s3 = configWith({ TFSTATE_LOCK: "s3" });
    expect(lockTablePlan(s3, { inBootstrapState: true })).toBe("kept");
    expect(lockTablePlan(s3, { inBootstrapState: true, stage: "unprotect" })).toBe("unprotected");
    expect(lockTablePlan(s3, { inBootstrapState: true, stage: "remove" })).toBe("none");
    expect(lockTablePlan(s3, { inBootstrapState: false, stage: "unprotect" })).toBe("none");
  });

  test("a retire stage outside the s3 mode is refused with one line", () => {
    expect(() => lockTablePlan(configWith({ TFSTATE_LOCK: "both" }), { stage: "remove" })).toThrow(
      new ConfigError("TFSTATE_RETIRE_LOCK_TABLE=remove needs TFSTATE_LOCK=s3: the both lock mode locks with the table"),
    );
  });

  test("TFSTATE_RETIRE_LOCK_TABLE: unset, unprotect or remove", () => {
    expect(retireStage({})).toBeUndefined();
    expect(retireStage({ TFSTATE_RETIRE_LOCK_TABLE: "" })).toBeUndefined();
    expect(retireStage({ TFSTATE_RETIRE_LOCK_TABLE: "unprotect" })).toBe("unprotect");
    expect(retireStage({ TFSTATE_RETIRE_LOCK_TABLE: "remove" })).toBe("remove");
    expect(() => retireStage({ TFSTATE_RETIRE_LOCK_TABLE: "yes" })).toThrow(
      'Invalid TFSTATE_RETIRE_LOCK_TABLE "yes": must be one of unprotect, remove (set by npm run retire-table)',
    );
  });
});
