import { plannedChanges, unexpectedChanges } from "../../../lib/commands/retire-table";

const TABLE = "aws_dynamodb_table.lock-table_D28631D7";
const showJson = (changes: Array<[string, string, string[]]>) =>
  JSON.stringify({ resource_changes: changes.map(([address, type, actions]) => ({ address, type, change: { actions } })) });

describe("retire-table's plans touch the table alone", () => {
  test("no-ops and reads are not changes", () => {
    const plan = showJson([
      [TABLE, "aws_dynamodb_table", ["update"]],
      ["aws_s3_bucket.state-bucket_828F7150", "aws_s3_bucket", ["no-op"]],
      ["data.aws_partition.partition", "aws_partition", ["read"]],
    ]);
    expect(plannedChanges(`some warning\n${plan}\n`)).toEqual([{ address: TABLE, type: "aws_dynamodb_table", actions: ["update"] }]);
  });

  test("first apply: the table updated in place; second: the table deleted; anything else stops it", () => {
    const update = [{ address: TABLE, type: "aws_dynamodb_table", actions: ["update"] }];
    const remove = [{ address: TABLE, type: "aws_dynamodb_table", actions: ["delete"] }];
    const policy = { address: "aws_iam_policy.state-access_policy_44135F8F", type: "aws_iam_policy", actions: ["update"] };
    expect(unexpectedChanges("unprotect", update)).toEqual([]);
    expect(unexpectedChanges("remove", remove)).toEqual([]);
    expect(unexpectedChanges("unprotect", remove)).toEqual(remove);
    expect(unexpectedChanges("remove", [...remove, policy])).toEqual([policy]);
    expect(unexpectedChanges("remove", [{ ...remove[0], actions: ["delete", "create"] }])).toHaveLength(1);
  });
});
