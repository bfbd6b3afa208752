// How npm run local ends: what it made on moto, what is left once it exits, and the commands to try next.
import * as path from "path";
import { PROJECT_ROOT } from "../../config/config";
import type { BucketSettings, LockTableSettings } from "../aws/inspect";
import { EndingSection, endingLines } from "../cli/ending";

export interface LocalFacts {
  readonly bucket: string;
  readonly bucketSettings: BucketSettings;
  readonly table: string;
  readonly tableSettings: LockTableSettings;
  /** The lock table's items, by LockID. */
  readonly tableItems: readonly string[];
  readonly stateKey: string;
  readonly stateVersions: number;
  readonly bootstrapStateFile: string;
  readonly vpc: { readonly id?: string; readonly cidr?: string; readonly name?: string };
  readonly emulator: { readonly endpoint: string; readonly pid: number; readonly kept: boolean };
  /** The line that points a shell at moto, as npm run emulator prints it. */
  readonly exports: string;
  /** What .emulator/ holds now, as names (directories end in /). */
  readonly emulatorFiles: readonly string[];
  readonly emulatorDir: string;
  readonly logFile: string;
}

const fromRoot = (file: string) => path.relative(PROJECT_ROOT, file) || ".";

function bucketLine(bucket: string, settings: BucketSettings): string {
  const flags = Object.values(settings.publicAccessBlock ?? {}).filter(Boolean).length;
  const expiry = settings.lifecycleRules?.map((rule) => rule.NoncurrentVersionExpiration?.NoncurrentDays).find((days) => days !== undefined);
  return [
    `s3://${bucket}: versioning ${settings.versioning ?? "off"}`,
    settings.encryption?.map((rule) => rule?.SSEAlgorithm).join(", ") || "no default encryption",
    `${flags} of 4 public access block flags on`,
    settings.objectOwnership?.join(", ") ?? "no ownership controls",
    expiry === undefined ? "no lifecycle rule" : `noncurrent versions expire after ${expiry} days`,
    settings.policyStatements.length ? `policy ${settings.policyStatements.map((s) => s.Sid).join(", ")}` : "no TLS-only policy (plain http)",
  ].join(", ");
}

function tableLine(table: string, settings: LockTableSettings, items: readonly string[]): string {
  const key = settings.keySchema?.map((k) => `${k.AttributeName} (${k.KeyType}, ${settings.attributes?.find((a) => a.AttributeName === k.AttributeName)?.AttributeType})`).join(", ");
  return (
    `${table}: ${key}, ${settings.billingMode}, point-in-time recovery ${settings.pointInTimeRecovery ?? "off"}, ` +
    `deletion protection ${settings.deletionProtection ? "on" : "off"}; ${items.length} item${items.length === 1 ? "" : "s"}${items.length ? `: ${items.join(", ")}` : ""}`
  );
}

/** The lines npm run local ends with. */
export function localEnding(facts: LocalFacts): string[] {
  const { emulator } = facts;
  const exists: EndingSection = {
    title: emulator.kept ? `What exists now, on moto at ${emulator.endpoint}:` : `What it made, on moto at ${emulator.endpoint} (gone now that moto has stopped):`,
    rows: [
      ["bucket", bucketLine(facts.bucket, facts.bucketSettings)],
      ["lock table", tableLine(facts.table, facts.tableSettings, facts.tableItems)],
      ["vpc state", `s3://${facts.bucket}/${facts.stateKey}, ${facts.stateVersions} version${facts.stateVersions === 1 ? "" : "s"}; bootstrap's state in ${fromRoot(facts.bootstrapStateFile)}`],
      ["vpc", `${facts.vpc.id} ${facts.vpc.cidr} Name=${facts.vpc.name}`],
    ],
  };
  const left: EndingSection = {
    title: "What is left:",
    rows: [
      emulator.kept
        ? ["moto", `running: pid ${emulator.pid}, ${emulator.endpoint}; stop it with: kill ${emulator.pid}`]
        : ["moto", `stopped (pid ${emulator.pid}); nothing of this run is on any AWS account`],
      [`${fromRoot(facts.emulatorDir)}/`, `${facts.emulatorFiles.join(", ")}; the next npm run local starts it afresh`],
    ],
  };
  const tryIt: Array<[string, string]> = [
    ["npm run doctor", "the bucket, the table, every state object's digest and locks; only reads"],
    ["npm run locks", "every lock held now"],
    ["npm run versions -- vpc", "the vpc state's versions, newest first"],
    ["npx cdktf diff vpc", '"No changes."'],
  ];
  const realAws: [string, string] = ["on real AWS", 'README.md, "Commands, in the order you run them": npx cdktf deploy bootstrap, then vpc'];
  const next: EndingSection = emulator.kept
    ? { title: "Next, in a shell pointed at moto:", rows: [[facts.exports, ""], ...tryIt, [`kill ${emulator.pid}`, "stop moto when you are done"], realAws] }
    : {
        title: "Next:",
        rows: [["npm run local -- --keep", "the same, leaving moto running to try these on it:"], ...tryIt.map(([command, what]): [string, string] => [`  ${command}`, what]), realAws],
      };
  return [...endingLines([exists, left, next]), `full output of every step: ${fromRoot(facts.logFile)}`];
}
