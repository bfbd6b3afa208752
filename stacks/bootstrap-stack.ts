import { Construct } from "constructs";
import { Annotations, LocalBackend, TerraformOutput } from "cdktf";
import { STACKS, TfstateConfig, isPlainHttpEndpoint, usesDynamodbLock, usesS3Lockfile } from "../config/config";
import { WorkloadTarget, workloadTargets } from "../config/workloads";
import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import { DataAwsPartition } from "@cdktf/provider-aws/lib/data-aws-partition";
import { StackAwsProvider } from "../constructs/aws-provider";
import { GithubCiRoles } from "../constructs/github-ci-roles";
import { LockTable } from "../constructs/lock-table";
import { StateAccess, StateAccessPolicy, stateAccessStatements } from "../constructs/state-access-policy";
import { StateBucket } from "../constructs/state-bucket";
import { StateBackend } from "../constructs/state-backend";
import { StateKey } from "../constructs/state-key";
import { SelfContainedStack } from "./self-contained-stack";
import { WORKLOADS } from "./workloads";
import { ExistingBackend, adoptExisting } from "./adopt-existing";

/** Creates the state bucket and the lock table; keeps its own state in a local file, or in that bucket once moved. */
export class BootstrapStack extends SelfContainedStack {
  readonly stateBucket: StateBucket;
  readonly lockTable: LockTable;
  readonly stateKey?: StateKey;
  /** Without environments: the one policy for the workload's state. */
  readonly accessPolicy?: StateAccessPolicy;
  /** With environments: one policy per environment, for its stacks' state alone. */
  readonly environmentPolicies: Record<string, StateAccessPolicy> = {};
  readonly githubCiRoles?: GithubCiRoles;

  /**
   * `workloads`: the stacks whose state the bucket holds, which the access policies are scoped to;
   * `existing`: what TFSTATE_ADOPT found already made, to be imported rather than created.
   */
  constructor(
    scope: Construct,
    id: string,
    config: TfstateConfig,
    workloads: readonly WorkloadTarget[] = workloadTargets(config, [STACKS.vpc]),
    existing?: ExistingBackend,
  ) {
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
    const access = {
      policyName: `tfstate-access-${config.stateBucket}`,
      bucketArn: this.stateBucket.bucket.arn,
      bucketName: config.stateBucket,
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
        onlyTheseLockItems: true,
        purpose: `of environment ${name}`,
      });
    }
    const policies = Object.entries(this.environmentPolicies);

    if (config.github) {
      const scope = { partition: new DataAwsPartition(this, "partition").partition, accountId: new DataAwsCallerIdentity(this, "account").accountId };
      const stateKeys = workloads.map((target) => target.stateKey);
      const kinds = WORKLOADS.filter((kind) => workloads.some((target) => target.workload === kind.name));
      this.githubCiRoles = new GithubCiRoles(this, "github-ci", {
        github: config.github,
        roleNamePrefix: `tfstate-${config.stateBucket}`.slice(0, 50),
        statements: (ciAccess: StateAccess) => [
          ...stateAccessStatements({ ...access, stateKeys, onlyTheseLockItems: config.environments.length > 0 }, ciAccess),
          ...kinds.flatMap((kind) => kind.ciStatements(scope, ciAccess)),
        ],
      });
    }

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
      ...(this.githubCiRoles && {
        github_oidc_provider_arn: this.githubCiRoles.oidcProviderArn,
        github_plan_role_arn: this.githubCiRoles.planRole.arn,
        github_apply_role_arn: this.githubCiRoles.applyRole.arn,
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
