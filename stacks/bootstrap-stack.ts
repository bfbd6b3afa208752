import { Construct } from "constructs";
import { Annotations, LocalBackend, TerraformOutput, TerraformStack } from "cdktf";
import { TfstateConfig, isPlainHttpEndpoint, usesDynamodbLock, usesS3Lockfile } from "../config/config";
import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import { DataAwsPartition } from "@cdktf/provider-aws/lib/data-aws-partition";
import { StackAwsProvider } from "../constructs/aws-provider";
import { GithubCiRoles } from "../constructs/github-ci-roles";
import { LockTable } from "../constructs/lock-table";
import { StateAccess, StateAccessPolicy, StateAccessStatementsProps, stateAccessStatements } from "../constructs/state-access-policy";
import { StateBucket } from "../constructs/state-bucket";
import { StateBackend } from "../constructs/state-backend";
import { StateKey } from "../constructs/state-key";
import { ExistingBackend, adoptExisting } from "./adopt-existing";
import { vpcWorkloadStatements } from "./vpc-stack";

/** Creates the state bucket and the lock table; keeps its own state in a local file, or in that bucket once moved. */
export class BootstrapStack extends TerraformStack {
  readonly stateBucket: StateBucket;
  readonly lockTable: LockTable;
  readonly stateKey?: StateKey;
  readonly accessPolicy: StateAccessPolicy;
  readonly githubCiRoles?: GithubCiRoles;

  /** `existing`: what TFSTATE_ADOPT found already made, to be imported rather than created. */
  constructor(scope: Construct, id: string, config: TfstateConfig, existing?: ExistingBackend) {
    super(scope, id);

    new StackAwsProvider(this, config, id);
    if (config.bootstrapBackend === "s3") {
      new StateBackend(this, config, config.bootstrapStateKey);
    } else {
      // An absolute path: cdktf runs terraform inside cdktf.out/stacks/<id>, which synth wipes.
      new LocalBackend(this, { path: config.bootstrapStatePath });
    }

    const requireTls = !isPlainHttpEndpoint(config);
    if (!requireTls) {
      Annotations.of(this).addWarning(
        `${config.endpoint} is plain http, so the state bucket policy leaves out its TLS-only statement`,
      );
    }

    const preventDestroy = !config.allowDestroy;
    if (config.kms.mode === "create") {
      this.stateKey = new StateKey(this, "state-key", { aliasName: config.kms.aliasName, preventDestroy });
    }
    const kmsKeyArn = this.stateKey?.key.arn ?? (config.kms.mode === "existing" ? config.kms.keyArn : undefined);

    this.stateBucket = new StateBucket(this, "state-bucket", {
      bucketName: config.stateBucket,
      noncurrentVersionDays: config.noncurrentVersionDays,
      requireTls,
      preventDestroy,
      kmsKeyArn,
    });
    this.lockTable = new LockTable(this, "lock-table", { tableName: config.lockTable, preventDestroy, kmsKeyArn });
    if (existing) adoptExisting(config, this.stateBucket, this.lockTable, existing);
    const stateAccess: StateAccessStatementsProps = {
      bucketArn: this.stateBucket.bucket.arn,
      bucketName: config.stateBucket,
      stateKey: config.stateKey,
      lockTableArn: usesDynamodbLock(config) ? this.lockTable.table.arn : undefined,
      usesLockfile: usesS3Lockfile(config),
      kmsKeyArn,
    };
    this.accessPolicy = new StateAccessPolicy(this, "state-access", { policyName: `tfstate-access-${config.stateBucket}`, ...stateAccess });

    if (config.github) {
      const scope = { partition: new DataAwsPartition(this, "partition").partition, accountId: new DataAwsCallerIdentity(this, "account").accountId };
      this.githubCiRoles = new GithubCiRoles(this, "github-ci", {
        github: config.github,
        roleNamePrefix: `tfstate-${config.stateBucket}`.slice(0, 50),
        statements: (access: StateAccess) => [...stateAccessStatements(stateAccess, access), ...vpcWorkloadStatements(scope, access)],
      });
    }

    const outputs = {
      bucket_name: this.stateBucket.bucket.bucket,
      bucket_arn: this.stateBucket.bucket.arn,
      lock_table_name: this.lockTable.table.name,
      lock_table_arn: this.lockTable.table.arn,
      region: config.region,
      state_key: config.stateKey,
      lock_mode: config.lockMode,
      ...(kmsKeyArn && { kms_key_arn: kmsKeyArn }),
      state_access_policy_arn: this.accessPolicy.policy.arn,
      state_access_policy_json: this.accessPolicy.document,
      ...(this.githubCiRoles && {
        github_oidc_provider_arn: this.githubCiRoles.oidcProviderArn,
        github_plan_role_arn: this.githubCiRoles.planRole.arn,
        github_apply_role_arn: this.githubCiRoles.applyRole.arn,
      }),
    };
    for (const [name, value] of Object.entries(outputs)) new TerraformOutput(this, name, { value });
  }
}
