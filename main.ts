import { App } from "cdktf";
import { ConfigError, loadConfig } from "./config/config";
import { addStacks } from "./stacks/app-stacks";

const app = new App();
try {
  addStacks(app, loadConfig());
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  // One line, before terraform ever runs.
  console.error(`error: ${error.message}`);
  process.exit(1);
}
app.synth();
