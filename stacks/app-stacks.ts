import { Construct } from "constructs";
import { STACKS, TfstateConfig } from "../config/config";
import { workloadTargets } from "../config/workloads";
import { BootstrapStack } from "./bootstrap-stack";
import { Workload } from "./workload-stack";
import { WORKLOADS } from "./workloads";

/** The app's stacks: bootstrap, then each workload in each environment. */
export function addStacks(app: Construct, config: TfstateConfig, workloads: readonly Workload[] = WORKLOADS): void {
  const stackOf = new Map(workloads.map((workload) => [workload.name, workload.stack]));
  const targets = workloadTargets(config, [...stackOf.keys()]);
  new BootstrapStack(app, STACKS.bootstrap, config, targets);
  for (const target of targets) new (stackOf.get(target.workload)!)(app, target, config);
}
