import { Construct } from "constructs";
import { Annotations, LocalBackend, TerraformOutput } from "cdktf";
import { STACKS, TfstateConfig, isPlainHttpEndpoint, usesDynamodbLock, usesS3Lockfile } from "../config/config";
import { WorkloadTarget, workloadTargets } from "../config/workloads";
import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import { DataAwsPartition } from "@cdktf/provider-aws/lib/data-aws-partition";
import { StackAwsProvider } from "../constructs/aws-provider";
import { CiTarget, ciRoles, ciTargets, stacksOf } from "../config/ci-targets";
import { tagWall } from "../config/tag-wall";
import { workloadRolePath } from "../config/workload-roles";
import { GithubCiRoles } from "../constructs/github-ci-roles";
import { LockTable } from "../constructs/lock-table";
import { StateAccess, StateAccessPolicy, StateAccessStatementsProps, Statement, stateAccessStatements } from "../constructs/state-access-policy";
import { StateBucket } from "../constructs/state-bucket";
import { StateBackend } from "../constructs/state-backend";
import { StateKey } from "../constructs/state-key";
import { SelfContainedStack } from "./self-contained-stack";
import { AccountScope, WorkloadBoundary, escalationDenies, workloadRoleStatements } from "../constructs/workload-roles";
import { Workload } from "./workload-stack";
import { WORKLOADS } from "./workloads";
import { adoptExisting } from "./adopt-existing";
import type { ExistingBackend } from "../lib/aws/existing-backend";
import { AccessLogs } from "../constructs/access-logs";
import { StateReplication } from "../constructs/state-replication";
import { ACCESS_LOG_EXPIRY_DAYS, replicationRoleName } from "../config/state-copies";
import { LockTablePlan, lockTablePlan } from "../config/lock-table-plan";

/** Creates the state bucket and the lock table; keeps its own state in a local file, or in that bucket once moved. */
export class BootstrapStack extends SelfContainedStack {
  readonly stateBucket: StateBucket;
  /** None in the s3 lock mode, unless the stack already had one (see config/lock-table-plan.ts). */
  readonly lockTable?: LockTable;
  readonly stateKey?: StateKey;
  /** Without environments: the one policy for the workload's state. */
  readonly accessPolicy?: StateAccessPolicy;
  /** With environments: one policy per environment, for its stacks' state alone. */
  readonly environmentPolicies: Record<string, StateAccessPolicy> = {};
  readonly githubCiRoles?: GithubCiRoles;
  /** By CI target: the permissions boundary of the roles its workloads create, where bootstrap makes it. */
  readonly workloadBoundaries: Record<string, WorkloadBoundary> = {};
  /** TFSTATE_REPLICA_REGION: the replica bucket and what replicates into it. */
  readonly replication?: StateReplication;
  /** TFSTATE_ACCESS_LOGS: the log bucket and the state bucket's logging into it. */
  readonly accessLogs?: AccessLogs;

  /**
   * `workloads`: the stacks whose state the bucket holds, which the access policies are scoped to;
   * `existing`: what TFSTATE_ADOPT found already made, to be imported rather than created;
   * `kinds`: the kinds of workload, whose CI statements the CI roles get;
   * `lockTable`: whether there is a lock table and whether it is protected; the lock mode's default unless given.
   */
  constructor(
    scope: Construct,
    id: string,
    config: TfstateConfig,
    workloads: readonly WorkloadTarget[] = workloadTargets(config, [STACKS.vpc]),
    existing?: ExistingBackend,
    kinds: readonly Workload[] = WORKLOADS,
    lockTable: LockTablePlan = lockTablePlan(config),
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
    if (lockTable !== "none") {
      // Lifted for the table alone while npm run retire-table removes it.
      this.lockTable = new LockTable(this, "lock-table", { tableName: config.lockTable, preventDestroy: preventDestroy && lockTable === "kept", kmsKeyArn });
    }
    if (existing) adoptExisting(config, this.stateBucket, this.lockTable, existing);
    const access = {
      policyName: `tfstate-access-${config.stateBucket}`,
      bucketArn: this.stateBucket.bucket.arn,
      bucketName: config.stateBucket,
      lockTableArn: usesDynamodbLock(config) ? this.lockTable?.table.arn : undefined,
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

    const account: AccountScope = { partition: new DataAwsPartition(this, "partition").partition, accountId: new DataAwsCallerIdentity(this, "account").accountId };
    if (config.replica) {
      const replica = config.replica;
      this.replication = new StateReplication(this, "replication", {
        source: this.stateBucket,
        sourceRegion: config.region,
        sourceKmsKeyArn: kmsKeyArn,
        provider: new StackAwsProvider(this, config, id, { region: replica.region }, "replica"),
        region: replica.region,
        bucketName: replica.bucket,
        roleName: replicationRoleName(config.stateBucket),
        // The created key's alias, in the replica's region: the same name finds each region's own key.
        kms: config.kms.mode === "create" ? { aliasName: config.kms.aliasName } : replica.kmsKeyArn ? { keyArn: replica.kmsKeyArn } : undefined,
        noncurrentVersionDays: config.noncurrentVersionDays,
        requireTls,
        preventDestroy,
        permissionsBoundary: config.permissionsBoundary,
      });
    }
    if (config.accessLogs) {
      this.accessLogs = new AccessLogs(this, "access-logs", {
        source: this.stateBucket,
        bucketName: config.accessLogs.bucket,
        prefix: config.accessLogs.prefix,
        expiryDays: ACCESS_LOG_EXPIRY_DAYS,
        accountId: account.accountId,
        requireTls,
        preventDestroy,
      });
    }
    const app = { workloads, kinds };
    const targets = ciTargets(config);
    // Each target's workload roles carry TFSTATE_PERMISSIONS_BOUNDARY, or else the boundary made here for it.
    const boundaryArns: Record<string, string> = {};
    for (const target of targets.filter((target) => !target.environment?.roleArn)) {
      const statements = workloadRoleBoundary(target, app, account);
      if (statements.length === 0) continue;
      if (config.permissionsBoundary) {
        boundaryArns[target.name] = config.permissionsBoundary;
        continue;
      }
      const id = target.environment ? `workload-boundary-${target.name}` : "workload-boundary";
      this.workloadBoundaries[target.name] = new WorkloadBoundary(this, id, { stateBucket: config.stateBucket, environment: target.environment?.name, statements });
      boundaryArns[target.name] = this.workloadBoundaries[target.name].policy.arn;
    }

    if (config.github) {
      const github = config.github;
      const pairs = targets.map((target) => ({ target, roles: ciRoles(config.stateBucket, github, target) }));
      const guardrails = { boundaryArns, ciRoleNames: pairs.flatMap(({ roles }) => [roles.names.plan, roles.names.apply]) };
      this.githubCiRoles = new GithubCiRoles(this, "github-ci", {
        github,
        permissionsBoundary: config.permissionsBoundary,
        pairs: pairs.map(({ target, roles }) => ({
          target,
          roles,
          statements: (ciAccess: StateAccess) => ciStatements(config, target, app, access, { account, guardrails }, ciAccess),
        })),
      });
    }

    const outputs = {
      bucket_name: this.stateBucket.bucket.bucket,
      bucket_arn: this.stateBucket.bucket.arn,
      ...(this.lockTable && { lock_table_name: this.lockTable.table.name, lock_table_arn: this.lockTable.table.arn }),
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
      ...(this.githubCiRoles && githubOutputs(this.githubCiRoles, config.environments.length > 0)),
      ...(this.replication && {
        replica_region: config.replica!.region,
        replica_bucket_name: this.replication.bucket.bucket.bucket,
        replica_bucket_arn: this.replication.bucket.bucket.arn,
        ...(this.replication.kmsKeyArn && { replica_kms_key_arn: this.replication.kmsKeyArn }),
        replication_role_arn: this.replication.role.arn,
      }),
      ...(this.accessLogs && { access_log_bucket_name: this.accessLogs.bucket.bucket }),
      ...(policies.length && {
        state_access_policies: Object.fromEntries(
          policies.map(([name, { policy, document }]) => [name, { arn: policy.arn, name: policy.name, json: document }]),
        ),
      }),
    };
    for (const [name, value] of Object.entries(outputs)) new TerraformOutput(this, name, { value });
  }
}

const assumeRole = (Sid: string, roleArn: string): Statement => ({ Sid, Effect: "Allow", Action: ["sts:AssumeRole"], Resource: roleArn });

interface App {
  readonly workloads: readonly WorkloadTarget[];
  readonly kinds: readonly Workload[];
}

/** The kinds of workload among a target's stacks, each with its stacks. */
const kindsOf = (target: CiTarget, app: App) => {
  const stacks = stacksOf(target, app.workloads);
  return app.kinds
    .map((kind) => ({ kind, stacks: stacks.filter((stack) => stack.workload === kind.name) }))
    .filter(({ stacks: ofKind }) => ofKind.length > 0);
};

/** All that the roles a target's workloads create may ever do. */
const workloadRoleBoundary = (target: CiTarget, app: App, scope: AccountScope): Statement[] =>
  kindsOf(target, app).flatMap(({ kind, stacks }) => kind.roles?.boundary(scope, stacks) ?? []);

/** What keeps every apply role from more privilege: the workload roles' boundaries and the CI roles' names. */
interface Guardrails {
  /** By CI target in this account. */
  readonly boundaryArns: Readonly<Record<string, string>>;
  readonly ciRoleNames: readonly string[];
}

/**
 * What a CI target's role may do: its environment's state alone (without environments, the one state), and its
 * workload stacks' resources inside its tag wall, with the roles they create under its path and boundary; in an
 * environment with roleArn, only assume that role, whose own policy governs the resources in its account. With
 * TFSTATE_BACKEND_ROLE_ARN, also assume that one, as the backends do.
 */
function ciStatements(
  config: TfstateConfig,
  target: CiTarget,
  app: App,
  access: Omit<StateAccessStatementsProps, "stateKeys">,
  { account, guardrails }: { account: AccountScope; guardrails: Guardrails },
  ciAccess: StateAccess,
): Statement[] {
  const stacks = stacksOf(target, app.workloads);
  const kinds = kindsOf(target, app).map(({ kind }) => kind);
  const roleArn = target.environment?.roleArn;
  const boundaryArn = guardrails.boundaryArns[target.name];
  const services = kinds.flatMap((kind) => kind.roles?.services ?? []);
  const workload = (): Statement[] => [
    ...kinds.flatMap((kind) => kind.ciStatements({ ...account, wall: tagWall(target.environment?.name, stacks) }, ciAccess)),
    ...(boundaryArn ? workloadRoleStatements(account, { path: workloadRolePath(config.stateBucket, target.name), boundaryArn, services }, ciAccess) : []),
    ...(ciAccess === "apply" && boundaryArn ? escalationDenies(account, boundaryArn, guardrails.ciRoleNames) : []),
  ];
  return [
    ...stateAccessStatements({ ...access, stateKeys: stacks.map((stack) => stack.stateKey), onlyTheseLockItems: target.environment !== undefined }, ciAccess),
    ...(roleArn ? [assumeRole("AssumeWorkloadRole", roleArn)] : workload()),
    ...(config.backendRoleArn ? [assumeRole("AssumeBackendRole", config.backendRoleArn)] : []),
  ];
}

/** Without environments, the two ARNs as they always were; with them, each environment's pair. */
function githubOutputs(ci: GithubCiRoles, perEnvironment: boolean) {
  const arns = Object.entries(ci.roles).map(([target, { plan, apply }]) => [target, { plan: plan.arn, apply: apply.arn }] as const);
  return {
    github_oidc_provider_arn: ci.oidcProviderArn,
    ...(perEnvironment
      ? { github_ci_roles: Object.fromEntries(arns) }
      : { github_plan_role_arn: arns[0][1].plan, github_apply_role_arn: arns[0][1].apply }),
  };
}
