// Where the IAM roles that workloads create live, and the permissions boundary each carries: the bootstrap
// stack creates the boundary and lets each CI apply role manage the roles under its own target's path alone;
// the workload stacks create their roles there.

/** The project's own path, per backend and CI target: one target's apply role reaches no other target's roles. */
export const workloadRolePath = (stateBucket: string, target: string) => `/tfstate/${stateBucket}/${target}/`;

/**
 * The boundary that bootstrap creates for one environment's workload roles (or, without environments, for all of
 * them) when TFSTATE_PERMISSIONS_BOUNDARY names none: one per environment, so that no role one environment makes
 * can reach another's resources.
 */
export const workloadBoundaryName = (stateBucket: string, environment?: string) =>
  ["tfstate", stateBucket, ...(environment === undefined ? [] : [environment]), "workload-boundary"].join("-");

/** The policy of the same path and name in another account, as organizations deploy one boundary to every account. */
export const policyInAccount = (policyArn: string, accountId: string) => policyArn.replace(/:iam::\d{12}:/, `:iam::${accountId}:`);
