// What CI plans and applies, one target per environment (or the one target "default" without environments),
// and each target's CI roles: their names and the GitHub subjects they trust. The bootstrap stack creates
// the roles from this, and npm run ci:matrix lists them for the workflow, so the two cannot disagree.
import { StateAccess, ciRoleName, githubEnvironmentSubject } from "./ci-role-names";
import type { GithubConfig, TfstateConfig } from "./config";
import type { EnvironmentConfig } from "./environments";
import type { WorkloadTarget } from "./workloads";

/** Without environments, the one target, named as terraform's default workspace. */
export const DEFAULT_CI_TARGET = "default";

/** One thing CI plans and applies: an environment's workload stacks, or without environments all of them. */
export interface CiTarget {
  /** The environment's name, or DEFAULT_CI_TARGET. */
  readonly name: string;
  /** Unset without environments. */
  readonly environment?: EnvironmentConfig;
}

export const ciTargets = (config: TfstateConfig): CiTarget[] =>
  config.environments.length ? config.environments.map((environment) => ({ name: environment.name, environment })) : [{ name: DEFAULT_CI_TARGET }];

/** The target's workload stacks: its environment's, or without environments every one. */
export const stacksOf = (target: CiTarget, workloads: readonly WorkloadTarget[]): WorkloadTarget[] =>
  workloads.filter((workload) => target.environment === undefined || workload.environment === target.name);

/** A target's plan role and apply role: their names, the token subjects they trust, and the GitHub environment apply runs in. */
export interface CiRoles {
  readonly names: Readonly<Record<StateAccess, string>>;
  readonly subjects: Readonly<Record<StateAccess, string>>;
  /** Set when only jobs in that GitHub environment may assume the apply role. */
  readonly githubEnvironment?: string;
}

/**
 * With environments, each apply role trusts only jobs in the GitHub environment of its own name (or its
 * githubEnvironment), so that no environment's job can assume another's role. Without them, the apply role
 * trusts TFSTATE_GITHUB_ENVIRONMENT's jobs, or pushes to TFSTATE_GITHUB_BRANCH. The plan role trusts the
 * repository's pull requests.
 */
export function ciRoles(stateBucket: string, github: GithubConfig, target: CiTarget): CiRoles {
  const githubEnvironment = target.environment ? (target.environment.githubEnvironment ?? target.environment.name) : github.environment;
  const name = (access: StateAccess) => ciRoleName(stateBucket, access, target.environment?.name);
  return {
    names: { plan: name("plan"), apply: name("apply") },
    subjects: {
      plan: github.planSubject,
      apply: target.environment ? githubEnvironmentSubject(github.repository, githubEnvironment!) : github.applySubject,
    },
    ...(githubEnvironment && { githubEnvironment }),
  };
}
