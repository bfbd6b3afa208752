// Teardown's inventory: what in the bucket and the lock table is not one of this project's stacks' state.
import { describeForeignState, foreignOf, hasForeignState } from "../../../lib/state/foreign-state";
import { configWith } from "../../support/synth";

const config = configWith({
  TFSTATE_BUCKET: "acme-state",
  TFSTATE_LOCK_TABLE: "acme-lock",
  TFSTATE_KEY: "network/vpc.tfstate",
  TFSTATE_BOOTSTRAP_KEY: "admin/bootstrap.tfstate",
});
const versions = (...keys: string[]) => keys.map((Key) => ({ Key }));

describe("state that is not this project's", () => {
  test("is every object and lock item other than the stacks' state, lock files, lock items and digests", () => {
    const bucket = {
      versions: versions("network/vpc.tfstate", "network/vpc.tfstate", "network/vpc.tfstate.tflock", "admin/bootstrap.tfstate", "teams/app/terraform.tfstate", "teams/app/terraform.tfstate"),
      deleteMarkers: versions("network/vpc.tfstate.tflock", "teams/app/terraform.tfstate", "notes.txt"),
    };
    const lockIds = [
      "acme-state/network/vpc.tfstate",
      "acme-state/network/vpc.tfstate-md5",
      "acme-state/admin/bootstrap.tfstate-md5",
      "acme-state/teams/app/terraform.tfstate-md5",
      "other-bucket/prod.tfstate",
    ];
    expect(foreignOf(config, bucket, lockIds)).toEqual({
      objects: [
        { key: "teams/app/terraform.tfstate", versions: 2, deleteMarkers: 1 },
        { key: "notes.txt", versions: 0, deleteMarkers: 1 },
      ],
      lockItems: ["acme-state/teams/app/terraform.tfstate-md5", "other-bucket/prod.tfstate"],
    });
  });

  test("is none when only the stacks' own state is there", () => {
    const foreign = foreignOf(config, { versions: versions("network/vpc.tfstate", "admin/bootstrap.tfstate"), deleteMarkers: [] }, ["acme-state/network/vpc.tfstate-md5"]);
    expect(hasForeignState(foreign)).toBe(false);
  });

  test("is listed a line each, under where it is", () => {
    const foreign = {
      objects: [
        { key: "teams/app/terraform.tfstate", versions: 2, deleteMarkers: 1 },
        { key: "notes.txt", versions: 1, deleteMarkers: 0 },
      ],
      lockItems: ["acme-state/teams/app/terraform.tfstate-md5"],
    };
    expect(describeForeignState(config, foreign)).toEqual([
      "not this project's stacks' state, in s3://acme-state and the lock table acme-lock:",
      "  object teams/app/terraform.tfstate: 2 versions, 1 delete marker",
      "  object notes.txt: 1 version",
      "  lock table item acme-state/teams/app/terraform.tfstate-md5",
    ]);
  });
});
