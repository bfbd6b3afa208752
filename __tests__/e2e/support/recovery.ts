// What the recovery scenarios share: exit codes with the output that explains them, doctor's report read
// as a user's script would read it, and the healthy end every scenario must reach.
import { PutObjectCommand } from "@aws-sdk/client-s3";
import { TfstateConfig } from "../../../config/config";
import { AwsClients } from "../../../lib/aws/clients";
import { ProcessResult } from "../../../lib/process/run-process";
import { lockfileKey } from "../../../lib/locks/state-digest";
import { Scenario } from "./world";

/** The exit code, and on a surprise the output's tail, so that a failed run says why. */
export function expectExit(result: ProcessResult, code: number): void {
  expect({ code: result.code, output: result.code === code ? "" : result.output.slice(-4000) }).toEqual({ code, output: "" });
}

/** The --json report: the line of stdout that is JSON (the SDK's warnings on stderr share the output here). */
export function doctorJson(result: ProcessResult) {
  const line = result.output.split("\n").find((text) => text.startsWith("{"));
  if (!line) throw new Error(`no JSON in:\n${result.output.slice(-3000)}`);
  return JSON.parse(line);
}

/** Every scenario ends here: npm run doctor finds the backend healthy, and a plan finds nothing to do. */
export async function expectHealthyAndConverged(scenario: Scenario): Promise<void> {
  expectExit(await scenario.npmRun("doctor"), 0);
  await scenario.expectNoChanges("vpc");
}

/**
 * The lock file that an s3-mode run leaves when its job is killed: terraform's Lock Info, taken `ageMs`
 * ago by `who`. Put only if no lock file is there, as terraform itself does.
 */
export async function leftBehindLockfile(clients: AwsClients, config: TfstateConfig, key: string, lock: { id: string; who: string; ageMs: number }) {
  const info = {
    ID: lock.id,
    Operation: "OperationTypeApply",
    Info: "",
    Who: lock.who,
    Version: "1.11.4",
    Created: new Date(Date.now() - lock.ageMs).toISOString(),
    Path: `${config.stateBucket}/${key}`,
  };
  await clients.s3.send(
    new PutObjectCommand({ Bucket: config.stateBucket, Key: lockfileKey(key), Body: JSON.stringify(info), ContentType: "application/json", IfNoneMatch: "*" }),
  );
}
