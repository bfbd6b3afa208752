// The stale-digest trap that runs in s3 mode set, and the lock files that killed s3-mode jobs leave, on this
// project's state and on a plain Terraform directory's: doctor finds both and prints the command that fixes
// each, and that command fixes it. doctor runs as a user with
// read-only permissions while moto enforces IAM, which proves it never writes. A moto of this file's own,
// since IAM enforcement holds for every caller of the emulator.
import { randomUUID } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { CreateAccessKeyCommand, CreateUserCommand, IAMClient, PutUserPolicyCommand } from "@aws-sdk/client-iam";
import { LockMode, TfstateConfig } from "../../config/config";
import { succeeded } from "../../lib/process/cdktf";
import { locksOn } from "../../lib/locks/held-locks";
import { ProcessResult, runProcess } from "../../lib/process/run-process";
import { digestIsStale } from "../../lib/locks/state-digest";
import { ownBackend } from "./support/own-backend";
import { doctorJson, expectExit, expectHealthyAndConverged, leftBehindLockfile } from "./support/recovery";
import { Scenario, enforceIam, step } from "./support/world";

const backend = ownBackend("doctor");
afterAll(() => backend.stop());

const HOUR = 3_600_000;

// Reading only: no Put, Delete or Update of any kind is allowed.
const READ_ONLY_POLICY = JSON.stringify({
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Action: ["s3:Get*", "s3:List*", "dynamodb:Describe*", "dynamodb:GetItem", "dynamodb:Scan", "dynamodb:Query"], Resource: "*" }],
});

async function readOnlyUser(config: TfstateConfig) {
  const iam = new IAMClient({ region: config.region, endpoint: config.endpoint, credentials: { accessKeyId: "test", secretAccessKey: "test" } });
  await iam.send(new CreateUserCommand({ UserName: "doctor-reader" }));
  await iam.send(new PutUserPolicyCommand({ UserName: "doctor-reader", PolicyName: "read-only", PolicyDocument: READ_ONLY_POLICY }));
  const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: "doctor-reader" }));
  return { AWS_ACCESS_KEY_ID: AccessKey!.AccessKeyId!, AWS_SECRET_ACCESS_KEY: AccessKey!.SecretAccessKey! };
}

/** The command on doctor's ✗ line for this state and check, run exactly as printed (plus `extra`). */
async function runPrintedFix(scenario: Scenario, report: ProcessResult, linePrefix: string, extra: string[] = []) {
  const line = report.output.split("\n").find((text) => text.startsWith(linePrefix));
  const fix = line && /  fix: (npm run \S+ -- .+)$/.exec(line)?.[1];
  if (!fix) throw new Error(`no fix on a line starting ${JSON.stringify(linePrefix)} in:\n${report.output}`);
  const [, , name, , ...args] = fix.split(" ");
  return { fix, result: await scenario.npmRun(name, [...args, ...extra]) };
}

const comparable = (findings: Array<{ status: string; check: string; subject: string; fix?: string; lock?: { id: string } }>) =>
  findings.map(({ status, check, subject, fix, lock }) => ({ status, check, subject, fix, lock: lock?.id }));

test("doctor says in one line why it cannot read the backend, with exit code 1: no bucket, no credentials", async () => {
  const endpoint = await backend.ready();
  const noBucket = await new Scenario("doctor-no-bucket", endpoint, { TFSTATE_BUCKET: "e2e-no-such-bucket" }).npmRun("doctor");
  expectExit(noBucket, 1);
  expect(noBucket.output).toContain("error: bucket s3://e2e-no-such-bucket does not exist: deploy bootstrap first (npx cdktf deploy bootstrap), or check TFSTATE_BUCKET\n");

  const nowhere = "/nonexistent/aws";
  const noCredentials = await new Scenario("doctor-no-credentials", endpoint, {
    AWS_ACCESS_KEY_ID: undefined,
    AWS_SECRET_ACCESS_KEY: undefined,
    AWS_SHARED_CREDENTIALS_FILE: nowhere,
    AWS_CONFIG_FILE: nowhere,
    AWS_EC2_METADATA_DISABLED: "true",
  }).npmRun("doctor", ["--json"]);
  expectExit(noCredentials, 1);
  expect(doctorJson(noCredentials)).toEqual({
    exitCode: 1,
    error: "no AWS credentials found: set AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY",
  });
});

test("runs in s3 mode leave the digest stale and killed jobs leave lock files: doctor, read-only, finds them; the commands it prints fix them", async () => {
  const endpoint = await backend.ready();
  const scenario = new Scenario("stale-digest", endpoint, { VPC_FLOW_LOGS: "false" });
  const config = scenario.config();
  const clients = scenario.clients();
  const key = config.stateKey;
  const subject = `s3://${config.stateBucket}/${key}`;

  await step("deploy in dynamodb mode, then move to the S3 lock file the quick way and apply a change there", async () => {
    await scenario.apply("vpc");
    scenario.set({ TFSTATE_LOCK: "s3", VPC_NAME: "e2e-stale-digest-moved" });
    await scenario.apply("vpc", { migrateState: true });
    expect(await digestIsStale(clients, config, key)).toBe(true);
  });

  const firstLock = randomUUID();
  await step("an s3-mode job killed two hours ago left its lock file", async () => {
    await leftBehindLockfile(clients, config, key, { id: firstLock, who: "ci@runner-7", ageMs: 2 * HOUR });
    await backend.deployed();
  });

  const unlockAndFix = `npm run unlock -- ${firstLock} --fix-digest`;
  const readerFindings = await step("doctor as a user who may only read, with IAM enforced, runs to the end and finds both", async () => {
    const reader = new Scenario("stale-digest-reader", endpoint, { ...scenario.env, ...(await readOnlyUser(config)) });
    const stranger = new Scenario("stale-digest-stranger", endpoint, { ...scenario.env, AWS_ACCESS_KEY_ID: "AKIAIOSFODNN7EXAMPLE", AWS_SECRET_ACCESS_KEY: "wJalrXUtnFEMI" });
    let asReader: ProcessResult, readerUnlock: ProcessResult, asStranger: ProcessResult;
    await enforceIam(endpoint, true);
    try {
      asReader = await reader.npmRun("doctor", ["--json"]);
      readerUnlock = await reader.npmRun("unlock", [firstLock, "--yes", "--fix-digest"]);
      asStranger = await stranger.npmRun("doctor");
    } finally {
      await enforceIam(endpoint, false);
    }
    expectExit(asReader, 1);
    const { findings } = doctorJson(asReader);
    expect(comparable(findings.filter((f: { status: string }) => f.status === "fail"))).toEqual([
      { status: "fail", check: "state.digest", subject, fix: unlockAndFix, lock: undefined },
      { status: "fail", check: "state.lock", subject, fix: unlockAndFix, lock: firstLock },
    ]);
    // The enforcement is real: the same user's attempt to release the lock is denied, and the lock stays.
    expectExit(readerUnlock, 1);
    expect(readerUnlock.output).toContain(`error: could not release the S3 object ${subject}.tflock: AccessDenied`);
    expect((await locksOn(clients, config, key)).map((lock) => lock.info.ID)).toEqual([firstLock]);
    // Credentials the emulator does not know: exit 1, one line.
    expectExit(asStranger, 1);
    expect(asStranger.output).toMatch(/error: the AWS credentials were rejected \(\w+\)\n/);
    return findings;
  });

  await step("with full permissions doctor finds exactly the same", async () => {
    expect(comparable(doctorJson(await scenario.npmRun("doctor", ["--json"])).findings)).toEqual(comparable(readerFindings));
  });

  await step("the text report names the lock's holder and age; its one fix command, run as printed, fixes both", async () => {
    const report = await scenario.npmRun("doctor");
    expectExit(report, 1);
    expect(report.output).toMatch(
      new RegExp(`^✗ ${subject}: stale s3 lock ${firstLock} by ci@runner-7, OperationTypeApply, created \\S+ \\(2 h( \\d+ min)? old\\): older than 1 h  fix: ${unlockAndFix}$`, "m"),
    );
    const { fix, result } = await runPrintedFix(scenario, report, `✗ ${subject}: stale s3 lock`, ["--yes"]);
    expect(fix).toBe(unlockAndFix);
    succeeded(result, fix);
    expect(result.output).toContain(`released the S3 object ${subject}.tflock`);
    expect(result.output).toContain(`digest of ${subject}: updated`);
    succeeded(await scenario.npmRun("doctor"), "npm run doctor");
  });

  // Round two on a key that is not this project's: a plain Terraform directory sharing the bucket.
  const teamKey = "teams/network/terraform.tfstate";
  const team = new Scenario("stale-digest-team", endpoint, { ...scenario.env, TFSTATE_LOCK: "dynamodb" });
  const teamSubject = `s3://${config.stateBucket}/${teamKey}`;
  const secondLock = randomUUID();
  await step("a plain HCL directory applies with DynamoDB locking, then with the lock file; its s3-mode job is killed", async () => {
    const dir = path.join(team.dir, "plain");
    fs.mkdirSync(dir, { recursive: true });
    fs.copyFileSync(path.join(__dirname, "fixtures", "plain-hcl", "main.tf"), path.join(dir, "main.tf"));
    const terraform = async (args: string[]) =>
      succeeded(await runProcess("terraform", [...args, "-no-color", "-input=false"], { cwd: dir, env: team.env }), `terraform ${args[0]}`);
    const applyWith = async (mode: LockMode, flags: string[] = []) => {
      team.set({ TFSTATE_LOCK: mode });
      succeeded(await team.npmRun("backend-config", ["--key", teamKey, "--output", path.join(dir, "backend.hcl")]), "npm run backend-config");
      await terraform(["init", "-reconfigure", "-backend-config=backend.hcl"]);
      await terraform(["apply", "-auto-approve", ...flags]);
    };
    await applyWith("dynamodb");
    // A new state serial, written without touching the digest item.
    await applyWith("s3", ["-replace=terraform_data.example"]);
    expect(await digestIsStale(clients, config, teamKey)).toBe(true);
    await leftBehindLockfile(clients, config, teamKey, { id: secondLock, who: "ci@runner-8", ageMs: 3 * HOUR });
  });

  await step("fix-digest will not touch a locked state, and says what to do", async () => {
    const refused = await scenario.npmRun("fix-digest", [teamKey]);
    expectExit(refused, 3);
    expect(refused.output).toContain(
      `${teamSubject} is locked (s3 lock ${secondLock} by ci@runner-8, 3 h old): let that run finish, or if it is dead: npm run unlock -- ${secondLock} --fix-digest`,
    );
  });

  await step("released without --fix-digest, the lock goes, and unlock says the digest no longer matches", async () => {
    const released = succeeded(await scenario.npmRun("unlock", [secondLock, "--yes"]), "npm run unlock");
    expect(released.output).toContain(`no longer matches ${teamSubject}`);
    expect(released.output).toContain(`Fix it: npm run fix-digest -- ${teamKey}`);
    const again = await scenario.npmRun("unlock", [secondLock, "--yes"]);
    expectExit(again, 1);
    expect(again.output).toContain(`no lock with ID ${secondLock}`);
  });

  await step("doctor reports the stale digest with its fix command, and that command fixes it", async () => {
    const stale = await scenario.npmRun("doctor");
    expectExit(stale, 1);
    const { fix, result } = await runPrintedFix(scenario, stale, `✗ ${teamSubject}: digest item`);
    expect(fix).toBe(`npm run fix-digest -- ${teamKey}`);
    expect(succeeded(result, fix).output).toContain(`digest of ${teamSubject}: updated`);
    expect(await digestIsStale(clients, config, teamKey)).toBe(false);
  });

  await step("doctor finds the backend healthy and a plan finds nothing to do", () => expectHealthyAndConverged(scenario));
});
