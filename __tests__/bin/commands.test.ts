// Every npm script that runs one of the project's commands or tools, run the way npm runs it.
import * as fs from "fs";
import * as http from "http";
import { AddressInfo } from "net";
import * as path from "path";
import { PROJECT_ROOT, readCdktfContext } from "../../config/config";
import { runProcess } from "../../lib/process/run-process";
import { testTmpDir } from "../support/temp";

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

test("npm run local refuses in one line, a settings error (exit 2), before it starts moto, when environments leave no vpc stack to walk through", async () => {
  const { code, output } = await runProcess("sh", ["-c", scripts.local], {
    cwd: PROJECT_ROOT,
    env: { TFSTATE_ENVIRONMENTS: JSON.stringify({ dev: { vpcCidr: "10.1.0.0/16" } }) },
  });
  expect({ code, lines: output.trimEnd().split("\n") }).toEqual({
    code: 2,
    lines: ["error: npm run local walks through the bootstrap and vpc stacks, and TFSTATE_ENVIRONMENTS names environments (dev): run it with TFSTATE_ENVIRONMENTS='{}'"],
  });
});

// What a command run against nothing needs: dummy credentials, and no notice from the SDK about node versions.
const OFFLINE = { AWS_ACCESS_KEY_ID: "test", AWS_SECRET_ACCESS_KEY: "test", AWS_SESSION_TOKEN: undefined, AWS_PROFILE: undefined, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" };
const runWith = (name: string, args: string[], env: NodeJS.ProcessEnv) => runProcess("sh", ["-c", `${scripts[name]} ${args.join(" ")}`], { cwd: PROJECT_ROOT, env: { ...OFFLINE, ...env } });
const lastLine = (output: string) => output.trimEnd().split("\n").pop();

describe("one rule for errors, whichever command meets them", () => {
  test.each([
    ["doctor", []],
    ["locks", []],
    ["versions", ["vpc"]],
    ["unlock", ["0000", "--yes"]],
    ["fix-digest", ["terraform/state/terraform.tfstate"]],
  ])("npm run %s with the emulator's endpoint closed: which endpoint, and is the emulator running? exit 1", async (name, args) => {
    const { code, output } = await runWith(name, args, { AWS_ENDPOINT_URL: "http://127.0.0.1:1" });
    expect({ code, line: lastLine(output) }).toEqual({
      code: 1,
      line: "error: cannot reach the AWS API at http://127.0.0.1:1 (ECONNREFUSED): is the emulator running? Start it with npm run emulator, or unset AWS_ENDPOINT_URL for real AWS",
    });
  });

  test.each([
    ["doctor", []],
    ["locks", []],
    ["versions", ["vpc"]],
    ["backend-config", ["--key", "teams/network/terraform.tfstate", "--output", "/dev/null"]],
    ["teardown", ["--yes"]],
    ["switch-lock", ["s3"]],
  ])("npm run %s with a bad setting: the same one line and exit 2, before it reaches AWS", async (name, args) => {
    const { code, output } = await runWith(name, args, { TFSTATE_BUCKET: "My_Bucket", AWS_ENDPOINT_URL: "http://127.0.0.1:1" });
    expect({ code, output: output.trimEnd() }).toEqual({
      code: 2,
      output: 'error: Invalid TFSTATE_BUCKET "My_Bucket": may contain only lowercase letters, digits, dots and hyphens',
    });
  });
});

/** An AWS API with no bucket and no table in it: S3 answers NoSuchBucket, DynamoDB ResourceNotFoundException. */
async function emptyAwsApi(): Promise<{ endpoint: string; close: () => Promise<void> }> {
  const server = http.createServer((request, response) => {
    request.resume();
    request.on("end", () => {
      if (request.headers["x-amz-target"]) {
        response.writeHead(400, { "content-type": "application/x-amz-json-1.0" });
        response.end(JSON.stringify({ __type: "com.amazonaws.dynamodb.v20120810#ResourceNotFoundException", message: "Requested resource not found" }));
        return;
      }
      const bucket = (request.url ?? "/").split("/")[1].split("?")[0];
      response.writeHead(404, { "content-type": "application/xml" });
      response.end(
        request.method === "HEAD"
          ? undefined
          : `<?xml version="1.0" encoding="UTF-8"?><Error><Code>NoSuchBucket</Code><Message>The specified bucket does not exist</Message><BucketName>${bucket}</BucketName></Error>`,
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { endpoint: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe("a bucket that does not exist", () => {
  let api: Awaited<ReturnType<typeof emptyAwsApi>>;
  beforeAll(async () => {
    api = await emptyAwsApi();
  });
  afterAll(() => api.close());

  test.each([["doctor", []], ["locks", []], ["versions", ["vpc"]]])("npm run %s says so, with what to do, exit 1", async (name, args) => {
    const { code, output } = await runWith(name, args, { AWS_ENDPOINT_URL: api.endpoint, TFSTATE_BUCKET: "acme-no-such-bucket" });
    expect({ code, line: lastLine(output) }).toEqual({
      code: 1,
      line: "error: bucket s3://acme-no-such-bucket does not exist: deploy bootstrap first (npx cdktf deploy bootstrap), or check TFSTATE_BUCKET",
    });
  });
});

test("npm run switch-lock -- dynamo names the argument it was given, not a variable, with the usage: exit 2", async () => {
  const { code, output } = await runWith("switch-lock", ["dynamo"], {});
  expect({ code, lines: output.trimEnd().split("\n") }).toEqual({
    code: 2,
    lines: ['error: <dynamodb|s3|both> "dynamo": must be one of dynamodb, s3, both', "usage: npm run switch-lock -- <dynamodb|s3|both> [--output PATH]"],
  });
});

describe("npm run backend-config", () => {
  test("without --key it writes nothing and refuses the vpc stack's key, naming the stack: exit 3", async () => {
    const dir = fs.mkdtempSync(path.join(testTmpDir(), "network-"));
    const { code, output } = await runWith("backend-config", [], { INIT_CWD: dir, TFSTATE_KEY: undefined });
    expect({ code, output: output.trimEnd() }).toEqual({
      code: 3,
      output:
        `refused: TFSTATE_KEY (or its default) ${readCdktfContext().stateKey} is the state key of this project's vpc stack: a directory initialised with it would share that state, ` +
        "and its first apply would plan to destroy what vpc made. For a directory of its own, pass a key of its own: --key teams/<name>/terraform.tfstate; " +
        "for the vpc stack's state itself, on purpose: --env default",
    });
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  test("--key writes backend.hcl with that key where npm was run", async () => {
    const dir = fs.mkdtempSync(path.join(testTmpDir(), "network-"));
    const { code, output } = await runWith("backend-config", ["--key", "teams/network/terraform.tfstate"], { INIT_CWD: dir });
    expect({ code, output: output.trimEnd() }).toEqual({ code: 0, output: `wrote ${path.join(dir, "backend.hcl")}` });
    expect(fs.readFileSync(path.join(dir, "backend.hcl"), "utf8")).toMatch(/^key\s+= "teams\/network\/terraform\.tfstate"$/m);
  });

  test("--output into a folder that does not exist: one line that says so, and the usage: exit 2", async () => {
    const dir = testTmpDir();
    const { code, output } = await runWith("backend-config", ["--key", "teams/network/terraform.tfstate", "--output", "../network/backend.hcl"], { INIT_CWD: path.join(dir, "infra") });
    const folder = path.join(dir, "network");
    expect({ code, lines: output.trimEnd().split("\n") }).toEqual({
      code: 2,
      lines: [
        `error: --output ../network/backend.hcl: the folder ${folder} does not exist; create it first (mkdir -p ${folder})`,
        "usage: npm run backend-config -- [--key KEY] [--env NAME] [--output PATH]",
      ],
    });
  });
});

test("npm run synth stops on a bad setting with exactly one line, before cdktf starts", async () => {
  const { code, output } = await runProcess("sh", ["-c", scripts.synth], { cwd: PROJECT_ROOT, env: { TFSTATE_BUCKET: "My_Bucket" } });
  expect({ code, lines: output.trimEnd().split("\n") }).toEqual({
    code: 2,
    lines: ['error: Invalid TFSTATE_BUCKET "My_Bucket": may contain only lowercase letters, digits, dots and hyphens'],
  });
});
