// The tag that walls one CI target's workload resources off from another's in the same account. The
// providers' default_tags put both tags on every workload resource.
import type { WorkloadTarget } from "./workloads";

export const ENVIRONMENT_TAG = "Environment";
export const STACK_TAG = "Stack";

/** A CI target's resources: those whose tag `key` has one of `values`. */
export interface TagWall {
  readonly key: string;
  readonly values: readonly string[];
}

/**
 * With environments, the environment's name in Environment; without them, there is one target, and Stack
 * keeps it to the app's own workload stacks, as every resource it made has always been tagged.
 */
export const tagWall = (environment: string | undefined, stacks: readonly WorkloadTarget[]): TagWall =>
  environment === undefined
    ? { key: STACK_TAG, values: stacks.map((stack) => stack.stackName) }
    : { key: ENVIRONMENT_TAG, values: [environment] };
