// The names of the CI roles and the GitHub subjects they trust, from plain strings alone: the config checks
// environment names against them, and config/ci-targets.ts gives each CI target its pair.
import type { Rule } from "./rules";

/** apply: read and write the state; plan: read it and take the lock, but never write the state or its digest. */
export type StateAccess = "apply" | "plan";

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
