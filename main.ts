import { App } from "cdktf";
import { ConfigError, loadConfig } from "./config/config";
import { addStacks } from "./stacks/app-stacks";
import { lockTablePlan, retireStage } from "./config/lock-table-plan";

async function main() {
  const config = loadConfig();
  // Loaded only with TFSTATE_ADOPT=true: the AWS SDK would slow every other synth down.
  const existing = config.adopt ? await (await import("./lib/aws/existing-backend")).findExistingBackend(config) : undefined;
  const stage = retireStage(process.env);
  // In the s3 lock mode alone: whether bootstrap already has a table, which it keeps until npm run retire-table.
  const inBootstrapState =
    config.lockMode === "s3" ? await (await import("./lib/state/bootstrap-lock-table")).bootstrapHoldsLockTable(config) : undefined;
  const app = new App();
  addStacks(app, config, { existing, lockTable: lockTablePlan(config, { inBootstrapState, stage }) });
  app.synth();
}

main().catch((error: unknown) => {
  if (!(error instanceof ConfigError)) throw error;
  // One line, before terraform ever runs.
  console.error(`error: ${error.message}`);
  process.exit(1);
});
