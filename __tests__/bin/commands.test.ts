// Every npm script that runs one of the project's commands or tools, run the way npm runs it.
import * as fs from "fs";
import * as path from "path";
import { PROJECT_ROOT } from "../../config/config";
import { runProcess } from "../../lib/process/run-process";

const scripts: Record<string, string> = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, "package.json"), "utf8")).scripts;
const projectCommands = Object.entries(scripts).filter(([, command]) => / (bin|tools)\/[\w-]+\.ts$/.test(command));

// Each run starts node and loads the config; on a busy machine that takes longer than jest's default 5 s.
jest.setTimeout(60_000);

const run = (command: string, args: string[]) => runProcess("sh", ["-c", `${command} ${args.join(" ")}`], { cwd: PROJECT_ROOT });

describe("the project's commands", () => {
  test("each file in bin/ is the command of exactly one npm script", () => {
    const files = projectCommands.map(([, command]) => command.split(" ").pop());
    expect(new Set(files).size).toBe(files.length);
    for (const file of fs.readdirSync(path.join(PROJECT_ROOT, "bin"))) expect(files).toContain(`bin/${file}`);
  });

  test.each(projectCommands)("npm run %s refuses an unknown option with one line and its usage, exit 2", async (name, command) => {
    const { code, output } = await run(command, ["--no-such-option"]);
    expect({ code, lines: output.trimEnd().split("\n") }).toEqual({
      code: 2,
      lines: ["error: unknown option --no-such-option", expect.stringMatching(new RegExp(`^usage: npm run ${name}( |$)`))],
    });
  });

  test.each(projectCommands)("npm run %s -- --help prints its usage and exits 0", async (name, command) => {
    const { code, output } = await run(command, ["--help"]);
    expect(code).toBe(0);
    expect(output.split("\n")[0]).toMatch(new RegExp(`^usage: npm run ${name}( |$)`));
  });
});

test("npm run local refuses in one line, before it starts moto, when environments leave no vpc stack to walk through", async () => {
  const { code, output } = await runProcess("sh", ["-c", scripts.local], {
    cwd: PROJECT_ROOT,
    env: { TFSTATE_ENVIRONMENTS: JSON.stringify({ dev: { vpcCidr: "10.1.0.0/16" } }) },
  });
  expect({ code, lines: output.trimEnd().split("\n") }).toEqual({
    code: 1,
    lines: ["error: npm run local walks through the bootstrap and vpc stacks, and TFSTATE_ENVIRONMENTS names environments (dev): run it with TFSTATE_ENVIRONMENTS='{}'"],
  });
});

test("npm run synth stops on a bad setting with exactly one line, before cdktf starts", async () => {
  const { code, output } = await runProcess("sh", ["-c", scripts.synth], { cwd: PROJECT_ROOT, env: { TFSTATE_BUCKET: "My_Bucket" } });
  expect({ code, lines: output.trimEnd().split("\n") }).toEqual({
    code: 1,
    lines: ['error: Invalid TFSTATE_BUCKET "My_Bucket": may contain only lowercase letters, digits, dots and hyphens'],
  });
});
