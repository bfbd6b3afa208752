import { Construct } from "constructs";
import { TfstateConfig } from "../config/config";
import { WorkloadTarget } from "../config/workloads";
import { StackAwsProvider } from "../constructs/aws-provider";
import { StateBackend } from "../constructs/state-backend";
import { TagWall } from "../config/tag-wall";
import { StateAccess, Statement } from "../constructs/state-access-policy";
import { AccountScope } from "../constructs/workload-roles";
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

/** What a CI target's workload permissions are scoped to: its account, and the tag wall around its resources. */
export interface CiScope extends AccountScope {
  readonly wall: TagWall;
}

/** The IAM roles a kind of workload creates: the services they are passed to, and all they may ever do (their boundary). */
export interface WorkloadRolesOfKind {
  readonly services: readonly string[];
  /** Given one environment's stacks of this kind. */
  readonly boundary: (scope: AccountScope, stacks: readonly WorkloadTarget[]) => Statement[];
}

/** A kind of workload: the name its stacks and state keys carry, the stack that builds it, and what CI needs for it. */
export interface Workload {
  readonly name: string;
  readonly stack: new (scope: Construct, target: WorkloadTarget, config: TfstateConfig) => WorkloadStack;
  /** What the CI roles may do to its resources, besides its state and its roles: read them for a plan, manage them for an apply. */
  readonly ciStatements: (scope: CiScope, access: StateAccess) => Statement[];
  /** Unset when its stacks create no IAM role. */
  readonly roles?: WorkloadRolesOfKind;
}
