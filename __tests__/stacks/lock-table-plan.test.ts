// The bootstrap stack without a lock table (a new one in the s3 mode, or after retire-table), with one kept
// in the s3 mode, and with its protection lifted for retire-table's first apply.
import { BootstrapStack } from "../../stacks/bootstrap-stack";
import { LockTablePlan } from "../../config/lock-table-plan";
import { STACKS } from "../../config/config";
import { workloadTargets } from "../../config/workloads";
import { configWith, parse, synth, testApp } from "../support/synth";

const LOCK_TABLE = "lock-table_D28631D7";
const GITHUB = { TFSTATE_GITHUB_REPOSITORY: "acme/infra" };

function bootstrap(env: Record<string, string>, plan?: LockTablePlan) {
  const config = configWith(env);
  const json = parse(synth(new BootstrapStack(testApp(), STACKS.bootstrap, config, workloadTargets(config, [STACKS.vpc]), undefined, undefined, plan)));
  return { json, text: JSON.stringify(json) };
}

describe("the s3 lock mode: no table unless bootstrap already has one", () => {
  test("a new bootstrap: no table, no table outputs, and no policy or CI role names a table", () => {
    for (const env of [{ TFSTATE_LOCK: "s3" }, { TFSTATE_LOCK: "s3", ...GITHUB }, { TFSTATE_LOCK: "s3", ...GITHUB, TFSTATE_ENVIRONMENTS: '{"dev": {}}' }]) {
      const { json, text } = bootstrap(env);
      expect(json.resource.aws_dynamodb_table).toBeUndefined();
      expect(Object.keys(json.output).filter((name) => name.startsWith("lock_table"))).toEqual([]);
      expect(text).not.toMatch(/dynamodb/);
    }
  });

  test("kept: the same table at the same address, protected, with its outputs; the policies still leave it out", () => {
    const { json } = bootstrap({ TFSTATE_LOCK: "s3" }, "kept");
    const { json: dynamodb } = bootstrap({});
    expect(json.resource.aws_dynamodb_table).toEqual(dynamodb.resource.aws_dynamodb_table);
    expect(json.resource.aws_dynamodb_table[LOCK_TABLE]).toMatchObject({ deletion_protection_enabled: true, lifecycle: { prevent_destroy: true } });
    expect(Object.keys(json.output)).toEqual(expect.arrayContaining(["lock_table_name", "lock_table_arn"]));
    expect(JSON.stringify(json.resource.aws_iam_policy)).not.toMatch(/dynamodb/);
  });

  test("unprotected, for retire-table's first apply: the table alone loses prevent_destroy and deletion protection", () => {
    const { json } = bootstrap({ TFSTATE_LOCK: "s3" }, "unprotected");
    const { json: kept } = bootstrap({ TFSTATE_LOCK: "s3" }, "kept");
    expect(json.resource.aws_dynamodb_table[LOCK_TABLE]).toMatchObject({ deletion_protection_enabled: false, lifecycle: { prevent_destroy: false } });
    const { aws_dynamodb_table: _table, ...rest } = json.resource;
    const { aws_dynamodb_table: _keptTable, ...keptRest } = kept.resource;
    expect(rest).toEqual(keptRest);
    expect(JSON.stringify(rest)).toContain('"prevent_destroy":true');
  });
});
