import * as readline from "readline/promises";
import { Refusal } from "./errors";

export interface Consent {
  /** What must be typed at the prompt. */
  readonly expected: string;
  readonly question: string;
  /** --yes was given. */
  readonly yes: boolean;
  /** What --yes lets the command do, as in "pass --yes to <action>". */
  readonly action: string;
  /** What a refusal leaves as it was, such as "nothing was written". */
  readonly untouched: string;
}

interface Terminal {
  readonly input: NodeJS.ReadableStream & { isTTY?: boolean };
  readonly output: NodeJS.WritableStream;
}

/**
 * A destructive command's consent: --yes, or the expected text typed at a terminal. Without a terminal
 * (CI, a pipe) there is no prompt to answer, so without --yes it is refused, and says so; so is any
 * other answer at the prompt.
 */
export async function confirmByTyping(consent: Consent, terminal: Terminal = { input: process.stdin, output: process.stdout }): Promise<void> {
  if (consent.yes) return;
  if (!terminal.input.isTTY) {
    throw new Refusal(`stdin is not a terminal, so there is no prompt: pass --yes to ${consent.action}; ${consent.untouched}`);
  }
  const prompt = readline.createInterface({ input: terminal.input, output: terminal.output });
  const answer = await prompt.question(consent.question);
  prompt.close();
  if (answer.trim() !== consent.expected) {
    throw new Refusal(`${JSON.stringify(answer.trim())} is not ${JSON.stringify(consent.expected)}; ${consent.untouched}`);
  }
}
