import { Construct } from "constructs";
import { TfstateConfig } from "../config/config";
import { WorkloadTarget } from "../config/workloads";
import { StackAwsProvider } from "../constructs/aws-provider";
import { StateBackend } from "../constructs/state-backend";
import { StateAccess, Statement } from "../constructs/state-access-policy";
import { SelfContainedStack } from "./self-contained-stack";

/**
 * What every workload stack has, from its target: a provider in its region and account, tagged with its
 * stack and environment, and its state at its own key in the bucket, locked as configured.
 */
export abstract class WorkloadStack extends SelfContainedStack {
  constructor(
    scope: Construct,
    readonly target: WorkloadTarget,
    config: TfstateConfig,
  ) {
    super(scope, target.stackName);
    new StackAwsProvider(this, config, target.stackName, target);
    new StateBackend(this, config, target.stateKey);
  }
}

/** The AWS account and partition that a workload's CI permissions are scoped to. */
export interface AccountScope {
  readonly partition: string;
  readonly accountId: string;
}

/** A kind of workload: the name its stacks and state keys carry, the stack that builds it, and what CI needs for it. */
export interface Workload {
  readonly name: string;
  readonly stack: new (scope: Construct, target: WorkloadTarget, config: TfstateConfig) => WorkloadStack;
  /** What the CI roles may do to its resources, besides its state: read them for a plan, manage them for an apply. */
  readonly ciStatements: (scope: AccountScope, access: StateAccess) => Statement[];
}
