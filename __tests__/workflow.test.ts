// The GitHub Actions workflow the project ships: what it runs is what this project tests.
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { parse as parseYaml } from "yaml";
import { PROJECT_ROOT } from "../config/config";
import { lintWorkflows } from "../lib/actionlint";

const WORKFLOW = ".github/workflows/infra.yml";
const SETUP_ACTION = ".github/actions/setup/action.yml";
const read = (file: string) => fs.readFileSync(path.join(PROJECT_ROOT, file), "utf8");
const workflow = parseYaml(read(WORKFLOW));
const setupAction = parseYaml(read(SETUP_ACTION));
const scripts = Object.keys(JSON.parse(read("package.json")).scripts);

type Step = { uses?: string; run?: string; with?: Record<string, unknown> };
const jobSteps = (job: string): Step[] => workflow.jobs[job].steps;
const allSteps: Step[] = [...Object.keys(workflow.jobs).flatMap(jobSteps), ...setupAction.runs.steps];
const roleOf = (job: string) => jobSteps(job).find((step) => step.uses?.startsWith("aws-actions/configure-aws-credentials@"))?.with?.["role-to-assume"];
const runs = (job: string) => [...jobSteps(job).filter((s) => s.uses === "./.github/actions/setup").flatMap(() => setupAction.runs.steps), ...jobSteps(job)].flatMap((s: Step) => (s.run ? [s.run] : []));

describe("the workflow", () => {
  test("asks for an OIDC token and read access to the code, nothing more", () => {
    expect(workflow.permissions).toEqual({ "id-token": "write", contents: "read" });
    for (const job of Object.values<any>(workflow.jobs)) expect(job.permissions).toBeUndefined();
  });

  test("every run: step is npm ci or an npm script that exists, so that CI runs only what is tested here", () => {
    const commands = allSteps.flatMap((step) => (step.run ? [step.run.trim()] : []));
    expect(commands.length).toBeGreaterThan(0);
    for (const command of commands) {
      const script = /^npm (?:run ([a-z0-9:-]+)|(test))$/.exec(command);
      expect({ command, known: command === "npm ci" || (script !== null && scripts.includes(script[1] ?? script[2])) }).toEqual({ command, known: true });
    }
  });

  test("a pull request is type-checked, unit-tested, checkov-gated and planned with the plan role", () => {
    expect(workflow.jobs.plan.if).toBe("github.event_name == 'pull_request'");
    expect(runs("plan")).toEqual(["npm ci", "npm run typecheck", "npm test", "npm run checkov", "npm run ci:plan"]);
    expect(roleOf("plan")).toBe("${{ vars.TFSTATE_PLAN_ROLE_ARN }}");
  });

  test("a push to main applies with the apply role, one at a time, never cancelled", () => {
    expect(workflow.on.push).toEqual({ branches: ["main"] });
    expect(workflow.jobs.apply.if).toBe("github.event_name == 'push'");
    expect(runs("apply")).toEqual(["npm ci", "npm run ci:apply"]);
    expect(roleOf("apply")).toBe("${{ vars.TFSTATE_APPLY_ROLE_ARN }}");
    expect(workflow.jobs.apply.concurrency).toEqual({ group: expect.stringContaining("${{ vars.TFSTATE_BUCKET }}"), "cancel-in-progress": false });
  });

  test("every night a drift check runs, in the same queue as applies", () => {
    expect(workflow.on.schedule).toEqual([{ cron: expect.stringMatching(/^\d+ \d+ \* \* \*$/) }]);
    expect(runs("drift")).toEqual(["npm ci", "npm run ci:drift"]);
    expect(workflow.jobs.drift.concurrency).toEqual(workflow.jobs.apply.concurrency);
  });

  test("terraform is the version this project is tested with, without the wrapper that rewrites its output", () => {
    const tested = JSON.parse(execFileSync("terraform", ["version", "-json"], { encoding: "utf8" })).terraform_version;
    const setupTerraform = allSteps.filter((step) => step.uses?.startsWith("hashicorp/setup-terraform@"));
    expect(setupTerraform.map((step) => step.with)).toEqual([{ terraform_version: tested, terraform_wrapper: false }]);
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
