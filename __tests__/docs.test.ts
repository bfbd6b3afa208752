// README and help say what the code does: the same settings, the same commands, every file in its place.
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { PROJECT_ROOT } from "../config/config";
import { withSettingsDocs } from "../tools/settings-docs";
import { TEST_STEPS } from "../tools/test-all";
import { NODE_RELEASES, majorOf } from "../tools/node-binaries";

const read = (file: string) => fs.readFileSync(path.join(PROJECT_ROOT, file), "utf8");
const readme = read("README.md");
const help = read("help");
const scripts = Object.keys(JSON.parse(read("package.json")).scripts);
const shellBlocks = [...readme.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1].trim());

describe("README and help", () => {
  test("CI runs exactly the README's test command", () => {
    const ciCommand = read(".ci/run").trim().split("\n").pop();
    expect(shellBlocks).toContain(ciCommand);
    expect(ciCommand).toBe("npm ci && npm run test:all");
  });

  test("README names the node versions the node-versions check runs, and the one .nvmrc recommends", () => {
    const section = readme.split("\n## Node.js versions\n")[1].split("\n## ")[0];
    const recommended = read(".nvmrc").trim();
    expect(section).toContain(`Node.js ${recommended} is the recommended version`);
    for (const major of NODE_RELEASES.map(majorOf)) expect(section).toMatch(new RegExp(`\\b${major}\\b`));
    expect(section).toMatch(/\b20,\s+which reached end of life/);
  });

  test("the test command runs every check: each test script, the type-check, the workflow lint and the lock-file check", () => {
    const checks = scripts.filter((name) => name === "test" || (name.startsWith("test:") && name !== "test:all"));
    expect([...TEST_STEPS].sort()).toEqual([...checks, "typecheck", "lint:workflows", "check:lockfile"].sort());
    expect(JSON.parse(read("package.json")).scripts["test:all"]).toBe("node --require ./ts-register.js tools/test-all.ts");
  });

  test("show each setting as SETTINGS describes it (npm run docs rewrites both)", () => {
    const current = withSettingsDocs(readme, help);
    expect(readme).toBe(current.readme);
    expect(help).toBe(current.help);
  });

  test("every npm script they name exists", () => {
    for (const text of [readme, help]) {
      for (const [, name] of text.matchAll(/npm run ([a-z0-9:-]+)/g)) expect(scripts).toContain(name);
    }
  });

  test("help lists every npm script", () => {
    const listed = new Set([...help.matchAll(/npm (?:run )?([a-z0-9:-]+)/g)].map(([, name]) => name));
    expect(scripts.filter((name) => !listed.has(name))).toEqual([]);
  });

  test("README's Layout lists every source file in its folder's row", () => {
    const layout = readme.slice(readme.indexOf("## Layout"));
    const rows = new Map([...layout.matchAll(/^\| `([^`]+\/)` \| [^|]+ \| (.+) \|$/gm)].map(([, folder, files]) => [folder, files]));
    const tracked = execFileSync("git", ["ls-files", "--cached", "--others", "--exclude-standard", "*.ts", "*.js"], { cwd: PROJECT_ROOT, encoding: "utf8" });
    const unlisted = tracked
      .split("\n")
      .filter(Boolean)
      .filter((file) => !rows.get(`${path.dirname(file)}/`)?.includes(`\`${path.basename(file)}\``));
    expect(unlisted).toEqual([]);
  });
});
