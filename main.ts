import { App } from "cdktf";
import { ConfigError, loadConfig } from "./config/config";
import { addStacks } from "./stacks/app-stacks";

async function main() {
  const config = loadConfig();
  // Loaded only with TFSTATE_ADOPT=true: the AWS SDK would slow every other synth down.
  const existing = config.adopt ? await (await import("./lib/aws/existing-backend")).findExistingBackend(config) : undefined;
  const app = new App();
  addStacks(app, config, { existing });
  app.synth();
}

main().catch((error: unknown) => {
  if (!(error instanceof ConfigError)) throw error;
  // One line, before terraform ever runs.
  console.error(`error: ${error.message}`);
  process.exit(1);
});
