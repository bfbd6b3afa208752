// npm run retire-table: the last step off DynamoDB locking (Terraform 1.11 deprecated dynamodb_table). Once
// every stack is on the lock file (TFSTATE_LOCK=s3), removes the lock table through the bootstrap stack, in
// two applies: one that lifts prevent_destroy and deletion protection on the table alone, one without the
// table. Refuses while anything in the table is not this project's, or anything still locks with it.
import * as path from "path";
import { PROJECT_ROOT, STACKS, SYNTH_OUTPUT_DIR, TfstateConfig, loadConfig } from "../../config/config";
import { RETIRE_TABLE_ENV, RetireStage } from "../../config/lock-table-plan";
import { AwsClients, awsClients } from "../aws/clients";
import { lockTableIfAny } from "../aws/inspect";
import { confirmByTyping } from "../cli/confirm";
import { Refusal } from "../cli/errors";
import { tableItemsIfAny } from "../locks/held-locks";
import { TableRetirement, initializedLockTables, tableRetirement } from "../locks/table-retirement";
import { appSynth, succeeded } from "../process/cdktf";
import { runProcess } from "../process/run-process";
import { bootstrapHoldsLockTable } from "../state/bootstrap-lock-table";

const PLAN_FILE = "retire-table.tfplan";
const TABLE_TYPE = "aws_dynamodb_table";

interface PlannedChange {
  readonly address: string;
  readonly type: string;
  readonly actions: readonly string[];
}

/** The changes a saved plan would make: every resource change that is not a no-op or a read. */
export function plannedChanges(showJson: string): PlannedChange[] {
  const line = showJson.split("\n").find((text) => text.startsWith("{"));
  if (!line) throw new Error(`terraform show -json printed no plan:\n${showJson.slice(-2000)}`);
  const plan = JSON.parse(line) as { resource_changes?: Array<{ address: string; type: string; change: { actions: string[] } }> };
  return (plan.resource_changes ?? [])
    .filter(({ change }) => !change.actions.every((action) => action === "no-op" || action === "read"))
    .map(({ address, type, change }) => ({ address, type, actions: change.actions }));
}

/** What each stage may change: the table, in place or away, and nothing else. */
export function unexpectedChanges(stage: RetireStage, changes: readonly PlannedChange[]): PlannedChange[] {
  const allowed = stage === "unprotect" ? ["update"] : ["delete"];
  return changes.filter((change) => change.type !== TABLE_TYPE || change.actions.some((action) => !allowed.includes(action)));
}

/** Reads the table's items and the stacks' backends, and says what stands in the way. */
async function retirementOf(clients: AwsClients, config: TfstateConfig, outdir: string): Promise<TableRetirement> {
  const items = (await tableItemsIfAny(clients, config.lockTable)) ?? {};
  return tableRetirement(config, items, initializedLockTables(config, outdir));
}

export async function retireTable(options: { yes: boolean; outdir?: string }, log: (line: string) => void = console.log): Promise<void> {
  const config = loadConfig();
  const table = config.lockTable;
  if (config.lockMode !== "s3") {
    const next = config.lockMode === "dynamodb" ? "npm run switch-lock -- both, then npm run switch-lock -- s3" : "npm run switch-lock -- s3";
    throw new Refusal(`TFSTATE_LOCK=${config.lockMode} still locks with table ${table}; move every stack to the lock file first: ${next}`);
  }
  const clients = awsClients(config);
  if (!(await lockTableIfAny(clients, table))) {
    log(`table ${table} does not exist: nothing to retire`);
    return;
  }
  if (!(await bootstrapHoldsLockTable(config))) {
    throw new Refusal(`table ${table} exists, but the bootstrap stack's state does not hold it, so it is not this project's to delete`);
  }
  const outdir = path.resolve(PROJECT_ROOT, options.outdir ?? SYNTH_OUTPUT_DIR);
  const shown = await retirementOf(clients, config, outdir);
  if (shown.refusals.length) {
    shown.refusals.forEach((line) => log(`  ${line}`));
    throw new Refusal(`table ${table} is still in use (above); nothing was changed`);
  }
  log(`This deletes the DynamoDB lock table ${table} through the bootstrap stack, with ${shown.ownItems.length} item(s) of this project's own:`);
  shown.ownItems.forEach((id) => log(`  digest item ${id} (the s3 lock mode never reads it)`));
  log("Only the table loses prevent_destroy and deletion protection; the bucket, its state and everything else keep theirs.");
  await confirmByTyping({ expected: table, question: "Type the table name to go on: ", yes: options.yes, action: "delete it", untouched: "nothing was changed" });

  await applyBootstrap("unprotect", outdir, log);
  // Checked again: a run that took a DynamoDB lock since would lose it with the table.
  const now = await retirementOf(clients, config, outdir);
  if (now.refusals.length || JSON.stringify(now.ownItems) !== JSON.stringify(shown.ownItems)) {
    now.refusals.forEach((line) => log(`  ${line}`));
    throw new Error(
      `retire-table stopped: table ${table} changed since it was shown, so it stays, without deletion protection; ` +
        "run npm run retire-table again, or npx cdktf deploy bootstrap to protect it again",
    );
  }
  await applyBootstrap("remove", outdir, log);
  log(`done: table ${table} is retired; the backend locks with the S3 lock file alone (npm run doctor checks it)`);
}

/** One bootstrap apply of a retire stage, as cdktf deploy runs it: the app's synth, init, a saved plan checked, then applied. */
async function applyBootstrap(stage: RetireStage, outdir: string, log: (line: string) => void): Promise<void> {
  const env = { [RETIRE_TABLE_ENV]: stage };
  const print = (chunk: string) => process.stdout.write(chunk);
  const stackDir = path.join(outdir, "stacks", STACKS.bootstrap);
  const terraform = async (args: string[], quiet = false) =>
    succeeded(await runProcess("terraform", args, { cwd: stackDir, env, onOutput: quiet ? undefined : print }), `terraform ${args[0]} in ${stackDir}`);
  log(`bootstrap: ${stage === "unprotect" ? "lifting prevent_destroy and deletion protection on the table alone" : "removing the table"} (${RETIRE_TABLE_ENV}=${stage})`);
  succeeded(await appSynth({ env, outdir, onOutput: print }), "synth");
  await terraform(["init", "-input=false", "-no-color"]);
  await terraform(["plan", "-input=false", "-no-color", `-out=${PLAN_FILE}`]);
  const unexpected = unexpectedChanges(stage, plannedChanges((await terraform(["show", "-json", PLAN_FILE], true)).output));
  if (unexpected.length) {
    throw new Error(
      `retire-table stopped before applying: the bootstrap plan also changes ${unexpected.map((c) => `${c.address} (${c.actions.join(", ")})`).join(", ")}; ` +
        "apply those first with npx cdktf deploy bootstrap, then run npm run retire-table again",
    );
  }
  await terraform(["apply", "-input=false", "-no-color", PLAN_FILE]);
}
