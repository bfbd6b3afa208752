// npm run ci:matrix: the GitHub Actions matrix of CI targets, one an environment (or "default"), with the
// roles each assumes and the GitHub environment its apply runs in. Names come from config/ci-targets.ts,
// as the bootstrap stack's roles do.
import * as fs from "fs";
import { ciRoles, ciTargets } from "../../config/ci-targets";
import { ConfigError, Environment, SETTINGS, TfstateConfig, loadConfig } from "../../config/config";
import { UsageError } from "../cli/command";

export interface MatrixEntry {
  readonly name: string;
  readonly planRoleArn: string;
  readonly applyRoleArn: string;
  /** Empty when the apply role trusts pushes to the branch: a job with an empty environment has none. */
  readonly githubEnvironment: string;
}

export interface CiMatrix {
  readonly include: MatrixEntry[];
}

// GovCloud, China and the ISO regions are partitions of their own, and their ARNs say so.
function partitionOf(region: string): string {
  const iso = /^[a-z]{2}-iso([a-z]?)-/.exec(region);
  if (iso) return iso[1] ? `aws-iso-${iso[1]}` : "aws-iso";
  if (region.startsWith("us-gov-")) return "aws-us-gov";
  if (region.startsWith("cn-")) return "aws-cn";
  return "aws";
}

/** One entry per CI target, with the ARNs of the roles bootstrap made for it in that account. */
export function ciMatrix(config: TfstateConfig, account: string): CiMatrix {
  const github = config.github;
  if (!github) {
    throw new ConfigError(`ci:matrix needs ${SETTINGS.githubRepository.env}: bootstrap creates the CI roles only with it (in the workflow, github.repository)`);
  }
  const roleArn = (name: string) => `arn:${partitionOf(config.region)}:iam::${account}:role/${name}`;
  return {
    include: ciTargets(config).map((target) => {
      const roles = ciRoles(config.stateBucket, github, target);
      return {
        name: target.name,
        planRoleArn: roleArn(roles.names.plan),
        applyRoleArn: roleArn(roles.names.apply),
        githubEnvironment: roles.githubEnvironment ?? "",
      };
    }),
  };
}

/** Prints the matrix as one line of JSON and, in GitHub Actions, sets it as the step's output "matrix". */
export function printCiMatrix(account: string | undefined, env: Environment = process.env, log: (line: string) => void = console.log): void {
  if (account === undefined) throw new UsageError("--account is required: the 12-digit AWS account the CI roles are in");
  if (!/^\d{12}$/.test(account)) throw new UsageError(`--account ${JSON.stringify(account)}: must be the 12 digits of an AWS account ID`);
  const json = JSON.stringify(ciMatrix(loadConfig(env), account));
  log(json);
  if (env.GITHUB_OUTPUT) fs.appendFileSync(env.GITHUB_OUTPUT, `matrix=${json}\n`);
}
