// npm run versions: one row per version of a stack's state, newest first.
import { formatStateVersions } from "../../../lib/state/state-versions";
import { remoteStateKey } from "../../../lib/state/stack-states";
import { configWith } from "../../support/synth";

describe("npm run versions", () => {
  test("shows each version's ID, time, size, serial, lineage and resource count, and marks the current one", () => {
    const lineage = "2c5c1c1e-0f6a-4e4b-9d35-5f0c2a1b7e11";
    const table = formatStateVersions([
      { versionId: "v3", lastModified: new Date("2026-11-30T05:05:28.123Z"), size: 5120, isLatest: true, state: { serial: 12, lineage, addresses: ["a.b", "c.d"] } },
      { versionId: "v2-longer-id", lastModified: new Date("2026-11-30T05:03:22Z"), size: 9216, isLatest: false, state: { serial: 11, lineage, addresses: ["a.b", "c.d", "e.f"] } },
      { versionId: "v1", lastModified: new Date("2026-11-29T23:00:00Z"), size: 3, isLatest: false, problem: "not a terraform state: not JSON" },
    ]);
    expect(table.split("\n")).toEqual([
      "VERSION ID    TIME (UTC)            SIZE  SERIAL  LINEAGE                               RESOURCES",
      "v3            2026-11-30T05:05:28Z  5120  12      2c5c1c1e-0f6a-4e4b-9d35-5f0c2a1b7e11  2          current",
      "v2-longer-id  2026-11-30T05:03:22Z  9216  11      2c5c1c1e-0f6a-4e4b-9d35-5f0c2a1b7e11  3",
      "v1            2026-11-29T23:00:00Z  3     -       -                                     -          not a terraform state: not JSON",
    ]);
  });
});

describe("a stack named as cdktf names it", () => {
  test("maps to its state key in the bucket", () => {
    expect(remoteStateKey(configWith({ TFSTATE_KEY: "network/vpc.tfstate" }), "vpc")).toBe("network/vpc.tfstate");
    expect(remoteStateKey(configWith({ TFSTATE_BOOTSTRAP_BACKEND: "s3", TFSTATE_BOOTSTRAP_KEY: "admin/b.tfstate" }), "bootstrap")).toBe("admin/b.tfstate");
  });

  test("bootstrap with its state in a local file, or an unknown name, is an error that says why", () => {
    const config = configWith({ TFSTATE_BUCKET: "acme-state" });
    expect(() => remoteStateKey(config, "bootstrap")).toThrow(/^bootstrap keeps its state in \/.*terraform\.bootstrap\.tfstate, not in the bucket \(TFSTATE_BOOTSTRAP_BACKEND=local\)$/);
    expect(() => remoteStateKey(config, "network")).toThrow('unknown stack "network": the stacks whose state is in s3://acme-state are vpc');
  });
});
