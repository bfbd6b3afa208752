/**
 * Calls `check` with a doubling pause (from `firstWaitMs` up to `maxWaitMs`) until it returns true,
 * and fails after `timeoutMs`. A check that throws ends the wait with its error.
 */
export async function pollUntil(
  check: () => Promise<boolean> | boolean,
  options: { what: string; timeoutMs: number; firstWaitMs?: number; maxWaitMs?: number },
): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  for (let wait = options.firstWaitMs ?? 100; !(await check()); wait = Math.min(wait * 2, options.maxWaitMs ?? 1000)) {
    if (Date.now() > deadline) throw new Error(`${options.what} not within ${options.timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, wait));
  }
}
