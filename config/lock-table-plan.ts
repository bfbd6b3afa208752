// Whether the bootstrap stack has a lock table, and how protected it is. The dynamodb and both lock modes
// always need one. The s3 lock mode needs none: a new bootstrap creates none, and one that already has a
// table keeps it, protected, until npm run retire-table removes it on purpose.
import { ConfigError, Environment, TfstateConfig, usesDynamodbLock } from "./config";

/** Set by npm run retire-table alone, for its two bootstrap applies; never a setting of its own. */
export const RETIRE_TABLE_ENV = "TFSTATE_RETIRE_LOCK_TABLE";
/** unprotect: the table without prevent_destroy and deletion protection; remove: no table. */
export const RETIRE_STAGES = ["unprotect", "remove"] as const;
export type RetireStage = (typeof RETIRE_STAGES)[number];

/** kept: the table as always; unprotected: kept, but deletable; none: no table, no table outputs. */
export type LockTablePlan = "kept" | "unprotected" | "none";

/** The retire-table stage that the environment asks for, if any. */
export function retireStage(env: Environment): RetireStage | undefined {
  const value = env[RETIRE_TABLE_ENV];
  if (value === undefined || value === "") return undefined;
  if (!(RETIRE_STAGES as readonly string[]).includes(value)) {
    throw new ConfigError(`Invalid ${RETIRE_TABLE_ENV} ${JSON.stringify(value)}: must be one of ${RETIRE_STAGES.join(", ")} (set by npm run retire-table)`);
  }
  return value as RetireStage;
}

/**
 * The lock table for this config. `inBootstrapState`: whether the bootstrap stack's own state holds a
 * table, looked up before synth in the s3 lock mode only (undefined: not looked up, so none is known).
 */
export function lockTablePlan(config: TfstateConfig, { inBootstrapState, stage }: { inBootstrapState?: boolean; stage?: RetireStage } = {}): LockTablePlan {
  if (usesDynamodbLock(config)) {
    if (stage) throw new ConfigError(`${RETIRE_TABLE_ENV}=${stage} needs TFSTATE_LOCK=s3: the ${config.lockMode} lock mode locks with the table`);
    return "kept";
  }
  if (!inBootstrapState || stage === "remove") return "none";
  return stage === "unprotect" ? "unprotected" : "kept";
}
