import { ConfigError } from "../../../config/config";
import { UsageError } from "../../../lib/cli/command";
import { CannotRun, couldNotRunReason, staleAfterMs } from "../../../lib/commands/doctor";

// Errors shaped as the AWS SDK v3 throws them: the name is the service's error code.
const sdkError = (name: string, message = "", code?: string) => Object.assign(new Error(message), { name, ...(code && { code }) });

describe("doctor's exit code 2: one line saying why it could not run", () => {
  test.each([
    [sdkError("CredentialsProviderError", "Could not load credentials from any providers"), "no AWS credentials found: set AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"],
    [sdkError("InvalidClientTokenId", "The security token included in the request is invalid."), "the AWS credentials were rejected (InvalidClientTokenId)"],
    [sdkError("AccessDenied", "User: arn:aws:iam::123456789012:user/ro is not authorized to perform: s3:GetBucketPolicy\non resource"), "access denied (AccessDenied): User: arn:aws:iam::123456789012:user/ro is not authorized to perform: s3:GetBucketPolicy"],
    [sdkError("Error", "connect ECONNREFUSED 127.0.0.1:4566", "ECONNREFUSED"), "cannot reach the AWS API (ECONNREFUSED)"],
    [new CannotRun("bucket s3://acme-state does not exist: npx cdktf deploy bootstrap creates it"), "bucket s3://acme-state does not exist: npx cdktf deploy bootstrap creates it"],
    [new ConfigError('Invalid TFSTATE_LOCK "consul": must be one of dynamodb, s3, both'), 'Invalid TFSTATE_LOCK "consul": must be one of dynamodb, s3, both'],
    [sdkError("ThrottlingException", "Rate exceeded\nretry later"), "ThrottlingException: Rate exceeded"],
  ])("%p", (error, reason) => {
    expect(couldNotRunReason(error)).toBe(reason);
  });
});

describe("--stale-after", () => {
  test("defaults to one hour and takes durations such as 30m or 0", () => {
    expect(staleAfterMs(undefined)).toBe(3_600_000);
    expect(staleAfterMs("30m")).toBe(1_800_000);
    expect(staleAfterMs("0")).toBe(0);
  });

  test("anything else is a usage error that names the option", () => {
    expect(() => staleAfterMs("soon")).toThrow(new UsageError('--stale-after "soon" is not a duration such as 30m, 1h, 1h30m or 2d'));
  });
});
