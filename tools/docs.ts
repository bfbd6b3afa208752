// npm run docs: writes the settings table in README.md and the settings section of help from config/config.ts.
import * as fs from "fs";
import * as path from "path";
import { PROJECT_ROOT } from "../config/config";
import { runCommand } from "../lib/cli/command";
import { withSettingsDocs } from "./settings-docs";

runCommand(
  { name: "docs", summary: "Writes README's settings table and help's settings section from SETTINGS in config/config.ts.", options: {} },
  async () => {
    const files = { readme: path.join(PROJECT_ROOT, "README.md"), help: path.join(PROJECT_ROOT, "help") };
    const updated = withSettingsDocs(fs.readFileSync(files.readme, "utf8"), fs.readFileSync(files.help, "utf8"));
    for (const [name, file] of Object.entries(files)) fs.writeFileSync(file, updated[name as keyof typeof files]);
    console.log(`wrote ${Object.values(files).map((file) => path.relative(PROJECT_ROOT, file)).join(", ")}`);
  },
);
