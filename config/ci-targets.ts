// What CI plans and applies, one target per environment (or the one target "default" without environments),
// and each target's CI roles: their names and the GitHub subjects they trust. The bootstrap stack creates
// the roles from this, and npm run ci:matrix lists them for the workflow, so the two cannot disagree.
import type { StateAccess } from "../constructs/state-access-policy";
import type { GithubConfig, TfstateConfig } from "./config";
import type { EnvironmentConfig } from "./environments";
import type { Rule } from "./rules";
import type { WorkloadTarget } from "./workloads";

/** Without environments, the one target, named as terraform's default workspace. */
export const DEFAULT_CI_TARGET = "default";

const IAM_ROLE_NAME_MAX = 64;
// The names the roles had before they came per environment, which must stay as they were.
const ROLE_PREFIX_MAX = 50;
// With environments the prefix gives way to the environment's name, but keeps "tfstate-" and 24 characters
// of the bucket's name: enough to keep the roles of two backends in one account apart.
const ROLE_PREFIX_MIN = 32;
// The plan role and the apply role share their prefix, cut to fit the longer name.
const LONGER_ACCESS: StateAccess = "apply";

const fullPrefix = (stateBucket: string) => `tfstate-${stateBucket}`;
/** What IAM's 64 characters leave for the prefix beside "-<environment>-apply". */
const roomForPrefix = (environment?: string) =>
  IAM_ROLE_NAME_MAX - (environment === undefined ? 0 : environment.length + 1) - (LONGER_ACCESS.length + 1);

/** `<prefix>-<access>`, or `<prefix>-<environment>-<access>`: the one name of each CI role. */
export function ciRoleName(stateBucket: string, access: StateAccess, environment?: string): string {
  const prefix = fullPrefix(stateBucket).slice(0, Math.min(ROLE_PREFIX_MAX, roomForPrefix(environment)));
  return [prefix, ...(environment === undefined ? [] : [environment]), access].join("-");
}

/** An environment's name must leave its CI roles' names room for the bucket's. */
export const leavesRoomForCiRoleNames =
  (stateBucket: string): Rule =>
  (environment) => {
    const needed = Math.min(ROLE_PREFIX_MIN, fullPrefix(stateBucket).length);
    if (roomForPrefix(environment) >= needed) return undefined;
    const most = roomForPrefix("") - needed;
    return `is too long for its CI roles' names, tfstate-<bucket>-<env>-apply within IAM's ${IAM_ROLE_NAME_MAX} characters: at most ${most} characters with this bucket`;
  };

/** The subject of GitHub's token in a job that runs in that GitHub environment. */
export const githubEnvironmentSubject = (repository: string, environment: string) => `repo:${repository}:environment:${environment}`;

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
