import { Construct } from "constructs";
import { Annotations, LocalBackend, TerraformOutput } from "cdktf";
import { STACKS, TfstateConfig, isPlainHttpEndpoint, usesDynamodbLock, usesS3Lockfile } from "../config/config";
import { WorkloadTarget, workloadTargets } from "../config/workloads";
import { StackAwsProvider } from "../constructs/aws-provider";
import { LockTable } from "../constructs/lock-table";
import { StateAccessPolicy } from "../constructs/state-access-policy";
import { StateBucket } from "../constructs/state-bucket";
import { StateBackend } from "../constructs/state-backend";
import { StateKey } from "../constructs/state-key";
import { SelfContainedStack } from "./self-contained-stack";

/** Creates the state bucket and the lock table; keeps its own state in a local file, or in that bucket once moved. */
export class BootstrapStack extends SelfContainedStack {
  readonly stateBucket: StateBucket;
  readonly lockTable: LockTable;
  readonly stateKey?: StateKey;
  /** Without environments: the one policy for the workload's state. */
  readonly accessPolicy?: StateAccessPolicy;
  /** With environments: one policy per environment, for its stacks' state alone. */
  readonly environmentPolicies: Record<string, StateAccessPolicy> = {};

  /** `workloads`: the stacks whose state the bucket holds, which the access policies are scoped to. */
  constructor(scope: Construct, id: string, config: TfstateConfig, workloads: readonly WorkloadTarget[] = workloadTargets(config, [STACKS.vpc])) {
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
    const access = {
      policyName: `tfstate-access-${config.stateBucket}`,
      bucketArn: this.stateBucket.bucket.arn,
      lockTableArn: usesDynamodbLock(config) ? this.lockTable.table.arn : undefined,
      usesLockfile: usesS3Lockfile(config),
      kmsKeyArn,
    };
    if (config.environments.length === 0) {
      this.accessPolicy = new StateAccessPolicy(this, "state-access", { ...access, stateKeys: [config.stateKey] });
    }
    for (const { name } of config.environments) {
      this.environmentPolicies[name] = new StateAccessPolicy(this, `state-access-${name}`, {
        ...access,
        policyName: `${access.policyName}-${name}`,
        stateKeys: workloads.filter((target) => target.environment === name).map((target) => target.stateKey),
        onlyLockItemsOf: config.stateBucket,
        purpose: `of environment ${name}`,
      });
    }
    const policies = Object.entries(this.environmentPolicies);

    const outputs = {
      bucket_name: this.stateBucket.bucket.bucket,
      bucket_arn: this.stateBucket.bucket.arn,
      lock_table_name: this.lockTable.table.name,
      lock_table_arn: this.lockTable.table.arn,
      region: config.region,
      ...(this.accessPolicy
        ? { state_key: config.stateKey }
        : { state_keys: Object.fromEntries(workloads.map((target) => [target.stackName, target.stateKey])) }),
      lock_mode: config.lockMode,
      ...(kmsKeyArn && { kms_key_arn: kmsKeyArn }),
      ...(this.accessPolicy && {
        state_access_policy_arn: this.accessPolicy.policy.arn,
        state_access_policy_json: this.accessPolicy.document,
      }),
      ...(policies.length && {
        state_access_policies: Object.fromEntries(
          policies.map(([name, { policy, document }]) => [name, { arn: policy.arn, name: policy.name, json: document }]),
        ),
      }),
    };
    for (const [name, value] of Object.entries(outputs)) new TerraformOutput(this, name, { value });
  }
}
