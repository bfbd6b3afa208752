import { Construct } from "constructs";
import { DynamodbTable } from "@cdktf/provider-aws/lib/dynamodb-table";
import { LOCK_HASH_KEY } from "../config/lock-table";

export interface LockTableProps {
  readonly tableName: string;
  readonly preventDestroy: boolean;
  /** Encrypts with this key; with the AWS-managed key when unset. */
  readonly kmsKeyArn?: string;
}

/** The DynamoDB table that the S3 backend uses for state locks and state digests. */
export class LockTable extends Construct {
  readonly table: DynamodbTable;

  constructor(scope: Construct, id: string, props: LockTableProps) {
    super(scope, id);

    this.table = new DynamodbTable(this, "table", {
      name: props.tableName,
      hashKey: LOCK_HASH_KEY,
      attribute: [{ name: LOCK_HASH_KEY, type: "S" }],
      billingMode: "PAY_PER_REQUEST",
      pointInTimeRecovery: { enabled: true },
      serverSideEncryption: { enabled: true, ...(props.kmsKeyArn && { kmsKeyArn: props.kmsKeyArn }) },
      deletionProtectionEnabled: props.preventDestroy,
      lifecycle: { preventDestroy: props.preventDestroy },
    });
  }
}
