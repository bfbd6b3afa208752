// How npm run teardown ends: what it removed, what it leaves behind, and what to run next.
import * as path from "path";
import { PROJECT_ROOT, TfstateConfig } from "../../config/config";
import { EndingSection, endingLines } from "../cli/ending";
import { replicationRoleName } from "../../config/state-copies";

export interface TeardownFacts {
  /** The workload stacks destroyed: vpc, or each environment's. */
  readonly workloadStacks: readonly string[];
  /** Object versions and delete markers deleted from the bucket. */
  readonly deletedVersions: number;
  /** Whether state that was not this project's went too (--include-foreign-state). */
  readonly foreignStateDeleted: boolean;
  /** TFSTATE_REPLICA_REGION: object versions and delete markers deleted from the replica. */
  readonly replicaDeletedVersions?: number;
  /** TFSTATE_ACCESS_LOGS: object versions and delete markers deleted from the log bucket. */
  readonly accessLogDeletedVersions?: number;
  /** cdktf's synth output directory, as given (default cdktf.out). */
  readonly outdir?: string;
}

const fromRoot = (file: string) => path.relative(PROJECT_ROOT, file) || ".";

/** The lines npm run teardown ends with. */
export function teardownEnding(config: TfstateConfig, facts: TeardownFacts): string[] {
  const gone: EndingSection = {
    title: "What is gone:",
    rows: [
      ["workloads", `${facts.workloadStacks.join(", ")} destroyed`],
      ["bucket", `s3://${config.stateBucket}, after deleting its ${facts.deletedVersions} object version(s) and delete marker(s)${facts.foreignStateDeleted ? ", the state that was not this project's included" : ""}`],
      ...(config.replica
        ? ([
            ["replica", `s3://${config.replica.bucket} in ${config.replica.region}, after deleting its ${facts.replicaDeletedVersions ?? 0} object version(s) and delete marker(s): the copies of the state`],
            ["replication", `the rule into it and the role ${replicationRoleName(config.stateBucket)}`],
          ] as Array<[string, string]>)
        : []),
      ...(config.accessLogs
        ? ([["access logs", `s3://${config.accessLogs.bucket}, after deleting its ${facts.accessLogDeletedVersions ?? 0} object version(s) and delete marker(s) of server access logs`]] as Array<[string, string]>)
        : []),
      ["lock table", config.lockTable],
      ["and", "the rest of bootstrap: its state-access policies, and the CI roles where it made them"],
    ],
  };
  const left: EndingSection = {
    title: "What is left:",
    rows: [
      [fromRoot(config.bootstrapStatePath), "bootstrap's local state, now of no resources: a record of what was there; delete it when you like"],
      [`${facts.outdir ?? "cdktf.out"}/`, "the last synth; the next one rewrites it"],
      ...(config.kms.mode === "create"
        ? [
            [
              config.replica ? "KMS keys" : "KMS key",
              `alias ${config.kms.aliasName}'s key${config.replica ? `, in ${config.region} and in ${config.replica.region},` : ","} which AWS deletes after its 30-day waiting period`,
            ] as [string, string],
          ]
        : []),
      ...(config.endpoint ? [["endpoint", `${config.endpoint} keeps running; nothing of this project is in it now`] as [string, string]] : []),
    ],
  };
  const next: EndingSection = {
    title: "Next:",
    rows: [
      ["npx cdktf deploy bootstrap", 'start again (README.md, "Commands, in the order you run them")'],
      ["npm run local", "or try it all on moto, with no AWS account"],
    ],
  };
  return endingLines([gone, left, next]);
}
