import { Construct } from "constructs";
import { STACKS, TfstateConfig } from "../config/config";
import { workloadTargets } from "../config/workloads";
import type { ExistingBackend } from "../lib/aws/existing-backend";
import type { LockTablePlan } from "../config/lock-table-plan";
import { BootstrapStack } from "./bootstrap-stack";
import { Workload } from "./workload-stack";
import { WORKLOADS } from "./workloads";

export interface AppStacksOptions {
  /** The kinds of workload; every one of WORKLOADS unless given. */
  readonly workloads?: readonly Workload[];
  /** What TFSTATE_ADOPT found already made, for bootstrap to import. */
  readonly existing?: ExistingBackend;
  /** Whether bootstrap has a lock table, and how protected; the lock mode's default unless given. */
  readonly lockTable?: LockTablePlan;
}

/** The app's stacks: bootstrap, then each workload in each environment. */
export function addStacks(app: Construct, config: TfstateConfig, { workloads = WORKLOADS, existing, lockTable }: AppStacksOptions = {}): void {
  const stackOf = new Map(workloads.map((workload) => [workload.name, workload.stack]));
  const targets = workloadTargets(config, [...stackOf.keys()]);
  new BootstrapStack(app, STACKS.bootstrap, config, targets, existing, workloads, lockTable);
  for (const target of targets) new (stackOf.get(target.workload)!)(app, target, config);
}
