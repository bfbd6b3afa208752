import * as path from "path";
import { PROJECT_ROOT } from "../../../config/config";
import { LocalFacts, localEnding } from "../../../lib/local/local-ending";
import { healthyBucket, healthyTable } from "../../support/backend-readings";

const emulatorDir = path.join(PROJECT_ROOT, ".emulator");
const facts = (kept: boolean): LocalFacts => ({
  bucket: "tfstate-backend-terraform-state",
  bucketSettings: { ...healthyBucket(), policyStatements: [] },
  table: "terraform-lock",
  tableSettings: healthyTable(),
  tableItems: ["tfstate-backend-terraform-state/terraform/state/terraform.tfstate-md5"],
  stateKey: "terraform/state/terraform.tfstate",
  stateVersions: 1,
  bootstrapStateFile: path.join(emulatorDir, "terraform.bootstrap.tfstate"),
  vpc: { id: "vpc-59ff09c1f1996c131", cidr: "192.168.0.0/16", name: "tfstate-backend-vpc" },
  emulator: { endpoint: "http://127.0.0.1:33301", pid: 24787, kept },
  exports: "export AWS_ENDPOINT_URL=http://127.0.0.1:33301 AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test",
  emulatorFiles: ["cdktf.out/", "local.log", "moto.log", "terraform.bootstrap.tfstate"],
  emulatorDir,
  logFile: path.join(emulatorDir, "local.log"),
});

test("npm run local ends with what it made, that moto is stopped, what .emulator/ holds, and the next commands", () => {
  expect(localEnding(facts(false))).toEqual([
    "",
    "What it made, on moto at http://127.0.0.1:33301 (gone now that moto has stopped):",
    "  bucket                     s3://tfstate-backend-terraform-state: versioning Enabled, AES256, 4 of 4 public access block flags on, BucketOwnerEnforced, noncurrent versions expire after 90 days, no TLS-only policy (plain http)",
    "  lock table                 terraform-lock: LockID (HASH, S), PAY_PER_REQUEST, point-in-time recovery ENABLED, deletion protection on; 1 item: tfstate-backend-terraform-state/terraform/state/terraform.tfstate-md5",
    "  vpc state                  s3://tfstate-backend-terraform-state/terraform/state/terraform.tfstate, 1 version; bootstrap's state in .emulator/terraform.bootstrap.tfstate",
    "  vpc                        vpc-59ff09c1f1996c131 192.168.0.0/16 Name=tfstate-backend-vpc",
    "What is left:",
    "  moto                       stopped (pid 24787); nothing of this run is on any AWS account",
    "  .emulator/                 cdktf.out/, local.log, moto.log, terraform.bootstrap.tfstate; the next npm run local starts it afresh",
    "Next:",
    "  npm run local -- --keep    the same, leaving moto running to try these on it:",
    "    npm run doctor           the bucket, the table, every state object's digest and locks; only reads",
    "    npm run locks            every lock held now",
    "    npm run versions -- vpc  the vpc state's versions, newest first",
    '    npx cdktf diff vpc       "No changes."',
    '  on real AWS                README.md, "Commands, in the order you run them": npx cdktf deploy bootstrap, then vpc',
    "full output of every step: .emulator/local.log",
  ]);
});

test("with --keep: moto's pid and endpoint, the exports that point a shell at it, and how to stop it", () => {
  const lines = localEnding(facts(true));
  expect(lines[1]).toBe("What exists now, on moto at http://127.0.0.1:33301:");
  expect(lines).toContain("  moto                     running: pid 24787, http://127.0.0.1:33301; stop it with: kill 24787");
  expect(lines.slice(lines.indexOf("Next, in a shell pointed at moto:") + 1, -1)).toEqual([
    "  export AWS_ENDPOINT_URL=http://127.0.0.1:33301 AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test",
    "  npm run doctor           the bucket, the table, every state object's digest and locks; only reads",
    "  npm run locks            every lock held now",
    "  npm run versions -- vpc  the vpc state's versions, newest first",
    '  npx cdktf diff vpc       "No changes."',
    "  kill 24787               stop moto when you are done",
    '  on real AWS              README.md, "Commands, in the order you run them": npx cdktf deploy bootstrap, then vpc',
  ]);
});
