// What npm run restore writes and shows before it asks.
import { Refusal } from "../../../lib/cli/errors";
import { restoreSummary, restoredIdentity } from "../../../lib/commands/restore";

const LINEAGE = "2c5c1c1e-0f6a-4e4b-9d35-5f0c2a1b7e11";
const state = (serial: number, addresses: string[], lineage = LINEAGE) => ({ serial, lineage, addresses });

describe("the restored version is written", () => {
  test("with the serial after the current one and the same lineage, so terraform takes it as the newest", () => {
    expect(restoredIdentity(state(12, []), state(9, ["aws_vpc.main"]), false)).toEqual({ serial: 13, lineage: LINEAGE });
  });

  test("a version of another lineage is refused: it is another state's history", () => {
    expect(() => restoredIdentity(state(12, []), state(3, [], "0000-other"), false)).toThrow(Refusal);
    expect(() => restoredIdentity(state(12, []), state(3, [], "0000-other"), false)).toThrow(
      `that version has lineage 0000-other and the current state ${LINEAGE}: it is another state's history, not an earlier point of this one; ` +
        "pass --force-lineage to restore it all the same, under the current lineage",
    );
  });

  test("--force-lineage writes it all the same, under the current lineage", () => {
    expect(restoredIdentity(state(12, []), state(3, [], "0000-other"), true)).toEqual({ serial: 13, lineage: LINEAGE });
  });

  test("with no current version (a delete marker on top), as it was", () => {
    expect(restoredIdentity(undefined, state(3, [], "0000-other"), false)).toEqual({ serial: 3, lineage: "0000-other" });
  });
});

describe("before it asks, restore shows", () => {
  test("the resources entering and leaving state, and the serial", () => {
    const current = { versionId: "v-damaged", body: "", state: state(12, ["aws_default_security_group.default-security-group"]) };
    const restored = { versionId: "v-good", body: "", state: state(11, ["aws_vpc.main", "aws_default_security_group.default-security-group"]) };
    expect(restoreSummary(current, restored, { serial: 13, lineage: LINEAGE })).toEqual([
      "  now:     version v-damaged, serial 12, 1 resource(s)",
      "  restore: version v-good, serial 11, 2 resource(s)",
      "  enters state: aws_vpc.main",
      "  leaves state: nothing",
      `  serial: 12 -> 13, lineage ${LINEAGE}; written as a new version, none is deleted`,
    ]);
  });
});
