import * as fs from "fs";
import * as path from "path";
import { PROJECT_ROOT, SETTINGS } from "../config/config";

const readme = fs.readFileSync(path.join(PROJECT_ROOT, "README.md"), "utf8");
const shellBlocks = [...readme.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1].trim());

describe("README", () => {
  test("CI runs exactly the README's test command", () => {
    const ciCommand = fs.readFileSync(path.join(PROJECT_ROOT, ".ci", "run"), "utf8").trim().split("\n").pop();
    expect(shellBlocks).toContain(ciCommand);
    expect(ciCommand).toBe("npm install && npm run test:all");
  });

  test("documents every setting", () => {
    for (const setting of Object.values(SETTINGS)) expect(readme).toContain(`| \`${setting.env}\` |`);
  });

  test("every npm script it names exists", () => {
    const scripts = Object.keys(JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, "package.json"), "utf8")).scripts);
    for (const [, name] of readme.matchAll(/npm run ([a-z0-9:-]+)/g)) expect(scripts).toContain(name);
  });
});
