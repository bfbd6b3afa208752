// Seed 000 Step 4 and seed 004's experiment for real, in each lock mode: four applies of one new VPC start
// at one barrier, and the lock lets exactly one through, in the mechanism the mode names. Then a deploy
// killed mid-apply: its lock stays, a second deploy is refused by it, and doctor, locks and unlock are how a
// user gets out. All four scenarios run side by side, on a bucket and a table of this file's own on the
// shared moto.
import { GetObjectCommand } from "@aws-sdk/client-s3";
import { LOCK_MODES } from "../../config/config";
import { listObjectVersions } from "../../lib/aws/bucket-versions";
import { succeeded } from "../../lib/process/cdktf";
import { locksOn } from "../../lib/locks/held-locks";
import { countVpcs, describeVpc, lockTableItems, stateVersions } from "../../lib/aws/inspect";
import { ProcessResult } from "../../lib/process/run-process";
import { digestItemId, lockfileKey } from "../../lib/locks/state-digest";
import { releasedTogether } from "./support/barrier";
import { killOnceLocked } from "./support/kill";
import { lockOwner } from "../../lib/locks/state-lock";
import { reportedLock } from "./support/own-lock";
import { ownBackend } from "./support/own-backend";
import { expectExit, expectHealthyAndConverged } from "./support/recovery";
import { Scenario, step } from "./support/world";

const backend = ownBackend("locks", { onShared: true });
afterAll(() => backend.stop());

const APPLY = ["apply", "-auto-approve", "-no-color", "-input=false"];

/** What one racer did: created the resources, was refused by the lock, or came after the winner and found nothing to do. */
function outcome({ code, output }: ProcessResult): string {
  const added = /Apply complete! Resources: (\d+) added/.exec(output)?.[1];
  if (code === 0 && added !== undefined) return Number(added) > 0 ? "applied" : "nothing to do";
  if (code !== 0 && output.includes("Error acquiring the state lock")) return "refused by the lock";
  return `other (exit ${code}): ${output.slice(-1500)}`;
}

/** What `cdktf deploy` runs before it applies, done once: the synth, then terraform init in the stack's directory. */
async function synthAndInit(scenario: Scenario): Promise<string> {
  succeeded(await scenario.synthAndInit("vpc"), "synth and terraform init");
  return scenario.stackDir("vpc");
}

test.concurrent.each(LOCK_MODES)(
  "TFSTATE_LOCK=%s: four applies of one new VPC released together: one creates it, the others are refused by the lock or find it done",
  async (mode) => {
    const scenario = new Scenario(`race-${mode}`, await backend.ready(), { ...backend.settings, TFSTATE_LOCK: mode, VPC_FLOW_LOGS: "false" });
    const config = scenario.config();
    const clients = scenario.clients();
    const dir = await step("synthesize and init once, so that every racer starts with its provider ready", () => synthAndInit(scenario));
    expect(await stateVersions(clients, config.stateBucket, config.stateKey)).toEqual([]);

    // terraform also writes a snapshot every 20 s of a long apply, and on a busy machine the winner's can
    // last longer: with a longer interval, the one new state version is the winner's final state.
    const racers = { ...scenario.env, TF_STATE_PERSIST_INTERVAL: "3600" };
    const runs = await step("four terraform applies released by one barrier", () => releasedTogether(4, ["terraform", ...APPLY], dir, racers, scenario.dir));

    await step("exactly one applies; at least one is refused by the lock; none fails otherwise", async () => {
      const outcomes = runs.map(outcome);
      expect(outcomes.filter((o) => o.startsWith("other"))).toEqual([]);
      expect(outcomes.filter((o) => o === "applied")).toHaveLength(1);
      expect(outcomes.filter((o) => o === "refused by the lock").length).toBeGreaterThanOrEqual(1);
      // Every refusal names the same lock, the winner's, taken by this user on this host.
      const refusals = runs.filter((run) => outcome(run) === "refused by the lock").map((run) => reportedLock(run.output));
      expect(new Set(refusals.map((lock) => lock?.id)).size).toBe(1);
      expect(refusals.map((lock) => lock?.who)).toEqual(refusals.map(() => lockOwner()));
    });

    await step("the lock that refused them was the mode's: a lock file in s3 mode, a table item in dynamodb mode, both in both", async () => {
      const refusals = runs.filter((run) => outcome(run) === "refused by the lock").map((run) => run.output);
      // What each mechanism answers a second taker: S3's failed If-None-Match put, DynamoDB's failed condition.
      const refusedBy = (output: string) => [/StatusCode: 412|PreconditionFailed/.test(output) && "s3", /ConditionalCheckFailed/.test(output) && "dynamodb"].filter(Boolean);
      const expected = { s3: ["s3"], dynamodb: ["dynamodb"], both: ["s3", "dynamodb"] }[mode];
      for (const output of refusals) expect(expected).toEqual(expect.arrayContaining(refusedBy(output)));
      expect(refusals.map((output) => refusedBy(output).length > 0)).toEqual(refusals.map(() => true));
      // The bucket keeps every version of the lock file: in s3 and both modes the winner's, named by the refusals.
      const trail = await listObjectVersions(clients, config.stateBucket, lockfileKey(config.stateKey));
      const lockfileIds = await Promise.all(
        trail.versions.map(async ({ VersionId }) => {
          const object = await clients.s3.send(new GetObjectCommand({ Bucket: config.stateBucket, Key: lockfileKey(config.stateKey), VersionId }));
          return JSON.parse(await object.Body!.transformToString()).ID as string;
        }),
      );
      if (mode === "dynamodb") expect(lockfileIds).toEqual([]);
      else expect(lockfileIds).toContain(reportedLock(refusals[0])?.id);
    });

    await step("one VPC, not two, recorded in exactly one new state version, and no lock left: only the digest item in a DynamoDB mode", async () => {
      expect(await countVpcs(clients, `e2e-race-${mode}`)).toBe(1);
      expect(await stateVersions(clients, config.stateBucket, config.stateKey)).toHaveLength(1);
      const object = await clients.s3.send(new GetObjectCommand({ Bucket: config.stateBucket, Key: config.stateKey }));
      const state = JSON.parse(await object.Body!.transformToString());
      const [vpc] = state.resources.filter((r: { type: string }) => r.type === "aws_vpc");
      expect(vpc.instances).toHaveLength(1);
      expect(await describeVpc(clients, vpc.instances[0].attributes.id)).toMatchObject({ name: `e2e-race-${mode}` });
      expect(await locksOn(clients, config, config.stateKey)).toEqual([]);
      const items = await lockTableItems(clients, config.lockTable, `${config.stateBucket}/${config.stateKey}`);
      expect(Object.keys(items)).toEqual(mode === "s3" ? [] : [digestItemId(config.stateBucket, config.stateKey)]);
    });

    await step("doctor finds the backend healthy and a plan finds nothing to do", async () => {
      await backend.deployed();
      await expectHealthyAndConverged(scenario);
    });
  },
);

test.concurrent("a deploy killed mid-apply leaves its lock: doctor names it, npm run unlock releases it, and the next deploy converges with one VPC", async () => {
  // Both lock mechanisms at once, so that one unlock has to release the DynamoDB item and the lock file.
  const scenario = new Scenario("killed-deploy", await backend.ready(), { ...backend.settings, TFSTATE_LOCK: "both", VPC_FLOW_LOGS: "false" });
  const config = scenario.config();
  const clients = scenario.clients();
  const subject = `s3://${config.stateBucket}/${config.stateKey}`;
  const vpcId = await step("deploy the VPC", async () => (await scenario.apply("vpc")).vpc_id);

  const { id, who } = await step("a CI job deploys a rename and is SIGKILLed as soon as terraform holds the lock", async () => {
    scenario.set({ VPC_NAME: "e2e-killed-deploy-renamed" });
    const dir = await synthAndInit(scenario);
    const locked = async () => (await locksOn(clients, config, config.stateKey)).length === 2;
    expect((await killOnceLocked(APPLY, dir, scenario.env, locked)).signal).toBe("SIGKILL");
    const left = await locksOn(clients, config, config.stateKey);
    expect(left.map((lock) => lock.mechanism).sort()).toEqual(["dynamodb", "s3"]);
    expect(new Set(left.map((lock) => lock.info.ID)).size).toBe(1);
    expect(left[0].info.Who).toBe(lockOwner());
    return { id: left[0].info.ID, who: left[0].info.Who };
  });

  await step("the next cdktf deploy is refused with 'Error acquiring the state lock' naming that lock, which the e2e deploy helper leaves alone", async () => {
    const versionsBefore = await stateVersions(clients, config.stateBucket, config.stateKey);
    // The helper force-unlocks only a lock taken after its deploy started; this one was taken before.
    const refused = await scenario.deploy("vpc").then(
      () => "",
      (error: Error) => error.message,
    );
    expect(refused).toContain("Error acquiring the state lock");
    expect(reportedLock(refused)?.id).toBe(id);
    expect(scenario.forceUnlocked).toEqual([]);
    expect((await locksOn(clients, config, config.stateKey)).map((lock) => lock.info.ID)).toEqual([id, id]);
    expect(await stateVersions(clients, config.stateBucket, config.stateKey)).toEqual(versionsBefore);
  });
  await backend.deployed();

  await step("npm run locks shows it, in DynamoDB and as a lock file", async () => {
    const listed = succeeded(await scenario.npmRun("locks"), "npm run locks");
    expect(listed.output).toMatch(new RegExp(`^${subject} +dynamodb +${id} +${who} +OperationTypeApply `, "m"));
    expect(listed.output).toMatch(new RegExp(`^${subject} +s3 +${id} +${who} +OperationTypeApply `, "m"));
  });

  await step("doctor names it; within the hour it cannot know the holder is dead, so the lock is no failure", async () => {
    const fresh = succeeded(await scenario.npmRun("doctor"), "npm run doctor");
    expect(fresh.output).toContain(`! ${subject}: held: dynamodb lock ${id} by ${who}, OperationTypeApply`);
  });

  await step("told that every lock is dead, doctor exits 1 and prints the command that releases it", async () => {
    const stale = await scenario.npmRun("doctor", ["--stale-after", "0s"]);
    expectExit(stale, 1);
    for (const mechanism of ["dynamodb", "s3"]) {
      expect(stale.output).toMatch(new RegExp(`^✗ ${subject}: stale ${mechanism} lock ${id} by ${who}, OperationTypeApply, .*  fix: npm run unlock -- ${id}$`, "m"));
    }
  });

  await step("without --yes and without a terminal to type the ID on, unlock shows the Lock Info and releases nothing", async () => {
    const refused = await scenario.npmRun("unlock", [id]);
    expectExit(refused, 3);
    expect(refused.output).toContain(`ID:        ${id}`);
    expect(refused.output).toContain(`Who:       ${who}`);
    expect(refused.output).toContain("refused: stdin is not a terminal, so there is no prompt: pass --yes to release it; nothing was written, the lock is still held");
    expect(await locksOn(clients, config, config.stateKey)).toHaveLength(2);
  });

  await step("npm run unlock -- <id> --yes releases it in both places", async () => {
    const released = succeeded(await scenario.npmRun("unlock", [id, "--yes"]), "npm run unlock");
    expect(released.output).toContain(`released the DynamoDB item LockID=${config.stateBucket}/${config.stateKey}`);
    expect(released.output).toContain(`released the S3 object ${subject}.tflock`);
    expect(released.output).not.toContain("no longer matches");
    expect(await locksOn(clients, config, config.stateKey)).toEqual([]);
  });

  await step("unlocking it again is an error, not a quiet success", async () => {
    const again = await scenario.npmRun("unlock", [id, "--yes"]);
    expectExit(again, 1);
    expect(again.output).toContain(`no lock with ID ${id}`);
  });

  await step("the next deploy applies the rename to the same VPC, and no second VPC appears", async () => {
    expect((await scenario.apply("vpc")).vpc_id).toBe(vpcId);
    expect(await describeVpc(clients, vpcId)).toMatchObject({ name: "e2e-killed-deploy-renamed" });
    expect(await countVpcs(clients, "e2e-killed-deploy")).toBe(1);
  });

  await step("doctor finds the backend healthy and a plan finds nothing to do", () => expectHealthyAndConverged(scenario));
});
