import * as readline from "readline/promises";

/** Asks at the terminal to type `expected`; false when it is typed otherwise, or when there is no terminal to ask at. */
export async function confirmedByTyping(question: string, expected: string): Promise<boolean> {
  if (!process.stdin.isTTY) return false;
  const prompt = readline.createInterface({ input: process.stdin, output: process.stdout });
  const answer = await prompt.question(question);
  prompt.close();
  return answer.trim() === expected;
}
