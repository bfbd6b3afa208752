import { ConfigError } from "../../../config/config";
import { EXIT, REQUEST_CONTEXT, Refusal, UsageError, describeAwsError, errorReport } from "../../../lib/cli/errors";

// Errors shaped as the AWS SDK v3 throws them: the name is the service's error code; the clients attach what the request was about.
const sdkError = (name: string, message = "", extra: Record<string, unknown> = {}, context?: Record<string, string>) => {
  const error = Object.assign(new Error(message), { name, $metadata: {}, ...extra });
  if (context) Object.defineProperty(error, REQUEST_CONTEXT, { value: context });
  return error;
};
const refused = (address: string, port: number) =>
  Object.assign(new Error(`connect ECONNREFUSED ${address}:${port}`), { code: "ECONNREFUSED", address, port });

describe("one rule for every command's exit code and first word", () => {
  test.each([
    ["a command-line error", new UsageError("unknown option --force"), EXIT.usage, "error: unknown option --force"],
    ["a bad setting", new ConfigError('Invalid TFSTATE_LOCK "consul": must be one of dynamodb, s3, both'), EXIT.usage, 'error: Invalid TFSTATE_LOCK "consul": must be one of dynamodb, s3, both'],
    ["a refusal", new Refusal("s3://b/k is locked"), EXIT.refused, "refused: s3://b/k is locked"],
    ["any other failure", new Error("terraform init failed"), EXIT.failed, "error: terraform init failed"],
  ])("%s", (_, error, code, message) => {
    expect(errorReport(error, {})).toEqual({ code, message });
  });

  test("the codes: 1 failed, 2 usage or settings, 3 refused", () => {
    expect(EXIT).toEqual({ done: 0, failed: 1, usage: 2, refused: 3 });
  });
});

describe("an AWS error, said once for every command", () => {
  test("a closed endpoint names the endpoint and, with AWS_ENDPOINT_URL set, asks whether the emulator runs", () => {
    const error = refused("127.0.0.1", 40551);
    Object.defineProperty(error, REQUEST_CONTEXT, { value: { endpoint: "http://127.0.0.1:40551", region: "ap-northeast-2" } });
    expect(errorReport(error, {})).toEqual({
      code: EXIT.failed,
      message:
        "error: cannot reach the AWS API at http://127.0.0.1:40551 (ECONNREFUSED): is the emulator running? Start it with npm run emulator, or unset AWS_ENDPOINT_URL for real AWS",
    });
    // Without the clients' context, the variable still names the endpoint.
    expect(describeAwsError(refused("127.0.0.1", 1), { AWS_ENDPOINT_URL: "http://127.0.0.1:1" })).toMatch(/^cannot reach the AWS API at http:\/\/127\.0\.0\.1:1 \(ECONNREFUSED\): is the emulator running\?/);
  });

  test("an unknown host on real AWS names the host and the region", () => {
    const error = Object.assign(new Error("getaddrinfo ENOTFOUND s3.xx-nowhere-1.amazonaws.com"), { code: "ENOTFOUND", hostname: "s3.xx-nowhere-1.amazonaws.com" });
    Object.defineProperty(error, REQUEST_CONTEXT, { value: { region: "xx-nowhere-1" } });
    expect(describeAwsError(error, {})).toBe("cannot reach the AWS API at s3.xx-nowhere-1.amazonaws.com in xx-nowhere-1 (ENOTFOUND): check the network and AWS_REGION");
  });

  test("a missing bucket or table: deploy bootstrap, or check the setting", () => {
    expect(describeAwsError(sdkError("NoSuchBucket", "The specified bucket does not exist", {}, { bucket: "acme-state" }), {})).toBe(
      "bucket s3://acme-state does not exist: deploy bootstrap first (npx cdktf deploy bootstrap), or check TFSTATE_BUCKET",
    );
    // HeadBucket's answer has no body, only its status: NotFound.
    expect(describeAwsError(sdkError("NotFound", "", {}, { bucket: "acme-state" }), {})).toMatch(/^bucket s3:\/\/acme-state does not exist/);
    // HeadObject's NotFound is the object's, not the bucket's.
    expect(describeAwsError(sdkError("NotFound", "", {}, { bucket: "acme-state", key: "k" }), {})).toBe("NotFound: ");
    expect(describeAwsError(sdkError("ResourceNotFoundException", "Requested resource not found", {}, { table: "terraform-lock" }), {})).toBe(
      "lock table terraform-lock does not exist: deploy bootstrap first (npx cdktf deploy bootstrap), or check TFSTATE_LOCK_TABLE",
    );
  });

  test.each([
    [sdkError("CredentialsProviderError", "Could not load credentials from any providers"), "no AWS credentials found: set AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"],
    [sdkError("InvalidClientTokenId", "The security token included in the request is invalid."), "the AWS credentials were rejected (InvalidClientTokenId)"],
    [
      sdkError("AccessDenied", "User: arn:aws:iam::123456789012:user/ro is not authorized to perform: s3:GetBucketPolicy\non resource"),
      "access denied (AccessDenied): User: arn:aws:iam::123456789012:user/ro is not authorized to perform: s3:GetBucketPolicy",
    ],
    [sdkError("ThrottlingException", "Rate exceeded\nretry later"), "ThrottlingException: Rate exceeded"],
  ])("%p", (error, line) => {
    expect(describeAwsError(error, {})).toBe(line);
  });

  test("an error that is not AWS's is left to its own message", () => {
    expect(describeAwsError(new Error("no such version"), {})).toBeUndefined();
  });
});
