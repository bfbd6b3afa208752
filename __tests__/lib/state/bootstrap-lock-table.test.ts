import * as fs from "fs";
import * as path from "path";
import { ConfigError } from "../../../config/config";
import { bootstrapHoldsLockTable, stateHoldsLockTable } from "../../../lib/state/bootstrap-lock-table";
import { configWith } from "../../support/synth";
import { testTmpDir } from "../../support/temp";

const state = (resources: object[]) => JSON.stringify({ version: 4, serial: 3, lineage: "l", resources }, null, 2);
const TABLE = { mode: "managed", type: "aws_dynamodb_table", name: "lock-table_D28631D7", instances: [{}] };
const BUCKET = { mode: "managed", type: "aws_s3_bucket", name: "state-bucket_828F7150", instances: [{}] };

describe("whether the bootstrap stack's state holds a lock table", () => {
  test("from a state body: a managed aws_dynamodb_table; an empty or absent state holds none", () => {
    expect(stateHoldsLockTable(state([BUCKET, TABLE]))).toBe(true);
    expect(stateHoldsLockTable(state([BUCKET]))).toBe(false);
    expect(stateHoldsLockTable(state([]))).toBe(false);
    expect(stateHoldsLockTable("")).toBe(false);
    expect(stateHoldsLockTable(undefined)).toBe(false);
  });

  test("from the local state file, without credentials; no file is a new bootstrap", async () => {
    const file = path.join(testTmpDir(), "bootstrap-lock-table.tfstate");
    const config = configWith({ TFSTATE_LOCK: "s3", TFSTATE_BOOTSTRAP_STATE_FILE: file });
    expect(await bootstrapHoldsLockTable(config)).toBe(false);
    fs.writeFileSync(file, state([BUCKET, TABLE]));
    expect(await bootstrapHoldsLockTable(config)).toBe(true);
    fs.writeFileSync(file, state([BUCKET]));
    expect(await bootstrapHoldsLockTable(config)).toBe(false);
  });

  test("a local file that is not a state stops synth with one line", async () => {
    const file = path.join(testTmpDir(), "broken.tfstate");
    fs.writeFileSync(file, "{");
    await expect(bootstrapHoldsLockTable(configWith({ TFSTATE_LOCK: "s3", TFSTATE_BOOTSTRAP_STATE_FILE: file }))).rejects.toThrow(
      new ConfigError(`TFSTATE_LOCK=s3: the bootstrap stack's state ${file}: not a terraform state: not JSON`),
    );
  });
});
