import * as readline from "readline/promises";

/**
 * A destructive command's consent: --yes, or the expected text typed at a terminal. Without a terminal
 * (CI, a pipe) and without --yes, the answer is no.
 */
export async function confirmedByTyping(expected: string, question: string, yes: boolean): Promise<boolean> {
  if (yes) return true;
  if (!process.stdin.isTTY) return false;
  const prompt = readline.createInterface({ input: process.stdin, output: process.stdout });
  const answer = await prompt.question(question);
  prompt.close();
  return answer.trim() === expected;
}
