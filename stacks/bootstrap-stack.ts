import { Construct } from "constructs";
import { LocalBackend, TerraformOutput, TerraformStack } from "cdktf";
import { TfstateConfig, isPlainHttpEndpoint } from "../config/config";
import { addAwsProvider } from "../constructs/aws-provider";
import { addS3Backend } from "../constructs/s3-backend";
import { LockTable } from "../constructs/lock-table";
import { StateBucket } from "../constructs/state-bucket";

/** Creates the state bucket and the lock table; keeps its own state in a local file, or in that bucket once moved. */
export class BootstrapStack extends TerraformStack {
  readonly stateBucket: StateBucket;
  readonly lockTable: LockTable;

  constructor(scope: Construct, id: string, config: TfstateConfig) {
    super(scope, id);

    addAwsProvider(this, config, id);
    if (config.bootstrapBackend === "s3") {
      addS3Backend(this, config, config.bootstrapStateKey);
    } else {
      // An absolute path: cdktf runs terraform inside cdktf.out/stacks/<id>, which synth wipes.
      new LocalBackend(this, { path: config.bootstrapStatePath });
    }

    const requireTls = !isPlainHttpEndpoint(config);
    if (!requireTls) {
      console.warn(
        `warning: ${config.endpoint} is plain http, so the state bucket policy leaves out its TLS-only statement`,
      );
    }

    const preventDestroy = !config.allowDestroy;
    this.stateBucket = new StateBucket(this, "state-bucket", {
      bucketName: config.stateBucket,
      noncurrentVersionDays: config.noncurrentVersionDays,
      requireTls,
      preventDestroy,
    });
    this.lockTable = new LockTable(this, "lock-table", { tableName: config.lockTable, preventDestroy });

    const outputs = {
      bucket_name: this.stateBucket.bucket.bucket,
      bucket_arn: this.stateBucket.bucket.arn,
      lock_table_name: this.lockTable.table.name,
      lock_table_arn: this.lockTable.table.arn,
      region: config.region,
      state_key: config.stateKey,
      lock_mode: config.lockMode,
    };
    for (const [name, value] of Object.entries(outputs)) new TerraformOutput(this, name, { value });
  }
}
