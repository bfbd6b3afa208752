import { TfstateConfig } from "../config/config";
import { workloadTargets } from "../config/workloads";
import { VPC_WORKLOAD_ROLES, VpcStack, vpcWorkloadStatements } from "./vpc-stack";
import { Workload } from "./workload-stack";

/**
 * Every kind of workload, each deployed once per environment (once in all without environments). A new
 * kind is a stack file that extends WorkloadStack, and one line here: its state key, lock, tags, account
 * and place in the environments' access policies all come from the config.
 */
export const WORKLOADS: readonly Workload[] = [
  { name: "vpc", stack: VpcStack, ciStatements: vpcWorkloadStatements, roles: VPC_WORKLOAD_ROLES },
];

/** Each workload stack of the app, each environment's included. */
export const appWorkloadTargets = (config: TfstateConfig) => workloadTargets(config, WORKLOADS.map((workload) => workload.name));

/** Each workload stack, each environment's included, with the key of its state in the bucket. */
export const workloadStates = (config: TfstateConfig): Array<[string, string]> =>
  appWorkloadTargets(config).map((target) => [target.stackName, target.stateKey]);
