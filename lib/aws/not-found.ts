// How the AWS SDK says that something is not there, or not as it was: an error of a known name (DynamoDB,
// KMS) or S3 error code. One place, so that every reader treats "missing" alike.

/** Whether an SDK error is one of these, by its name or its S3 error code. */
export const isAwsError = (error: unknown, ...names: string[]) =>
  error instanceof Error && (names.includes(error.name) || names.includes((error as { Code?: string }).Code ?? ""));

/** The request's answer, or undefined when it fails with one of these errors; any other failure is thrown. */
export async function unlessMissing<T>(request: Promise<T>, ...missing: string[]): Promise<T | undefined> {
  try {
    return await request;
  } catch (error) {
    if (isAwsError(error, ...missing)) return undefined;
    throw error;
  }
}
