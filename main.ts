import { App } from "cdktf";
import { ConfigError, loadConfig } from "./config/config";
import { addStacks } from "./stacks/app-stacks";
import { quietNodeVersionWarning } from "./lib/cli/node-support";

async function main() {
  const config = loadConfig();
  // Loaded only with TFSTATE_ADOPT=true: the AWS SDK would slow every other synth down.
  const existing = config.adopt ? await (await import("./lib/aws/existing-backend")).findExistingBackend(config) : undefined;
  const app = new App();
  addStacks(app, config, { existing });
  app.synth();
}

// With TFSTATE_ADOPT=true the AWS SDK loads: on node 20, one line instead of its nine.
quietNodeVersionWarning();
main().catch((error: unknown) => {
  if (!(error instanceof ConfigError)) throw error;
  // One line, before terraform ever runs.
  console.error(`error: ${error.message}`);
  process.exit(1);
});
