import { WORKLOAD_NAMES, WorkloadName } from "../config/workloads";
import { VPC_WORKLOAD_ROLES, VpcStack, vpcWorkloadStatements } from "./vpc-stack";
import { Workload } from "./workload-stack";

/**
 * Each kind of workload's stack and CI statements, deployed once per environment (once in all without
 * environments). A new kind is a stack file that extends WorkloadStack, its name in config/workloads.ts and
 * one line here: its state key, lock, tags, account and place in the environments' access policies all come
 * from the config.
 */
const KINDS: { readonly [N in WorkloadName]: Omit<Workload, "name"> } = {
  vpc: { stack: VpcStack, ciStatements: vpcWorkloadStatements, roles: VPC_WORKLOAD_ROLES },
};

/** Every kind of workload, in the order of WORKLOAD_NAMES. */
export const WORKLOADS: readonly Workload[] = WORKLOAD_NAMES.map((name) => ({ name, ...KINDS[name] }));
