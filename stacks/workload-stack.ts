import { Construct } from "constructs";
import { TfstateConfig } from "../config/config";
import { WorkloadTarget } from "../config/workloads";
import { StackAwsProvider } from "../constructs/aws-provider";
import { StateBackend } from "../constructs/state-backend";
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

/** A kind of workload: the name its stacks and state keys carry, and the stack that builds it. */
export interface Workload {
  readonly name: string;
  readonly stack: new (scope: Construct, target: WorkloadTarget, config: TfstateConfig) => WorkloadStack;
}
