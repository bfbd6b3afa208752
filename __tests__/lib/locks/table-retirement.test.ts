import * as fs from "fs";
import * as path from "path";
import { initializedLockTable, initializedLockTables, tableRetirement } from "../../../lib/locks/table-retirement";
import { configWith } from "../../support/synth";
import { testTmpDir } from "../../support/temp";

const BUCKET = "acme-state";
const config = configWith({ TFSTATE_LOCK: "s3", TFSTATE_BUCKET: BUCKET, TFSTATE_KEY: "network/terraform.tfstate" });
const DIGEST = { Digest: "0cc175b9c0f1b6a831c399e269772661" };
const INFO = { Info: JSON.stringify({ ID: "3f1c", Who: "ci@runner", Operation: "OperationTypeApply" }) };

describe("retire-table: which items in the table are this project's", () => {
  test("this project's digest items, the bootstrap key's included, go with the table", () => {
    const items = { [`${BUCKET}/network/terraform.tfstate-md5`]: DIGEST, [`${BUCKET}/bootstrap/terraform.tfstate-md5`]: DIGEST };
    expect(tableRetirement(config, items, {})).toEqual({
      refusals: [],
      ownItems: [`${BUCKET}/bootstrap/terraform.tfstate-md5`, `${BUCKET}/network/terraform.tfstate-md5`],
    });
  });

  test("an empty table may go", () => {
    expect(tableRetirement(config, {}, {})).toEqual({ refusals: [], ownItems: [] });
  });

  test("another team's digest or lock, in this bucket or another, refuses, each named", () => {
    const items = {
      [`${BUCKET}/network/terraform.tfstate-md5`]: DIGEST,
      [`${BUCKET}/teams/dns/terraform.tfstate-md5`]: DIGEST,
      "other-bucket/app/terraform.tfstate": INFO,
      [`${BUCKET}/network/terraform.tfstate.backup-md5`]: DIGEST,
    };
    expect(tableRetirement(config, items, {}).refusals).toEqual([
      `item ${BUCKET}/network/terraform.tfstate.backup-md5: a digest of state that is not this project's stacks'; that team still uses the table`,
      `item ${BUCKET}/teams/dns/terraform.tfstate-md5: a digest of state that is not this project's stacks'; that team still uses the table`,
      "item other-bucket/app/terraform.tfstate: a lock of state that is not this project's stacks'; that team still uses the table",
    ]);
  });

  test("a lock item held on one of this project's stacks refuses: a run still locks with the table", () => {
    const items = { [`${BUCKET}/network/terraform.tfstate`]: INFO };
    expect(tableRetirement(config, items, {}).refusals).toEqual([
      `vpc: lock item ${BUCKET}/network/terraform.tfstate is held (ID 3f1c, ci@runner): a run still locks with the table`,
    ]);
  });

  test("with environments, every environment's stack is this project's", () => {
    const environments = configWith({ TFSTATE_LOCK: "s3", TFSTATE_BUCKET: BUCKET, TFSTATE_ENVIRONMENTS: '{"dev": {"vpcCidr": "10.1.0.0/16"}, "prod": {"vpcCidr": "10.2.0.0/16"}}' });
    const items = { [`${BUCKET}/env/dev/vpc/terraform.tfstate-md5`]: DIGEST, [`${BUCKET}/env/prod/vpc/terraform.tfstate-md5`]: DIGEST, [`${BUCKET}/network/terraform.tfstate-md5`]: DIGEST };
    expect(tableRetirement(environments, items, {}).refusals).toEqual([
      `item ${BUCKET}/network/terraform.tfstate-md5: a digest of state that is not this project's stacks'; that team still uses the table`,
    ]);
  });

  test("a stack whose backend was last initialized here with dynamodb_table refuses", () => {
    expect(tableRetirement(config, {}, { vpc: "terraform-lock" }).refusals).toEqual([
      "vpc: its backend was last initialized here with dynamodb_table terraform-lock: npm run switch-lock -- s3",
    ]);
  });
});

describe("the backend a stack was last initialized with", () => {
  const outdir = path.join(testTmpDir(), "cdktf.out");
  const initialized = (stack: string, config: object) => {
    fs.mkdirSync(path.join(outdir, "stacks", stack, ".terraform"), { recursive: true });
    fs.writeFileSync(path.join(outdir, "stacks", stack, ".terraform", "terraform.tfstate"), JSON.stringify({ version: 3, backend: { type: "s3", config } }));
  };

  test("reads dynamodb_table from .terraform/terraform.tfstate; none when never initialized or on the lock file alone", () => {
    expect(initializedLockTable(path.join(outdir, "stacks", "vpc"))).toBeUndefined();
    initialized("vpc", { bucket: BUCKET, dynamodb_table: "terraform-lock", use_lockfile: true });
    expect(initializedLockTables(config, outdir)).toEqual({ vpc: "terraform-lock" });
    initialized("vpc", { bucket: BUCKET, dynamodb_table: null, use_lockfile: true });
    expect(initializedLockTables(config, outdir)).toEqual({ vpc: undefined });
  });
});
