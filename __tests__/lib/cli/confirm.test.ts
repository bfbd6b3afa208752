import { PassThrough } from "stream";
import { confirmByTyping } from "../../../lib/cli/confirm";
import { Refusal } from "../../../lib/cli/errors";

const consent = { expected: "abc-123", question: "Type the lock ID to release it: ", action: "release it", untouched: "nothing was written" };

/** A terminal whose user types `answer`. */
function terminal(answer?: string, isTTY = true) {
  const input = Object.assign(new PassThrough(), { isTTY });
  const output = new PassThrough();
  output.resume();
  if (answer !== undefined) setImmediate(() => input.write(`${answer}\n`));
  return { input, output };
}

describe("typing to confirm", () => {
  test("--yes goes on without a prompt", async () => {
    await expect(confirmByTyping({ ...consent, yes: true }, terminal(undefined, false))).resolves.toBeUndefined();
  });

  test("without a terminal there is no prompt: it says so, and how to go on", async () => {
    await expect(confirmByTyping({ ...consent, yes: false }, terminal(undefined, false))).rejects.toEqual(
      new Refusal("stdin is not a terminal, so there is no prompt: pass --yes to release it; nothing was written"),
    );
  });

  test("the expected text at the prompt goes on; anything else is refused, saying nothing was written", async () => {
    await expect(confirmByTyping({ ...consent, yes: false }, terminal("abc-123"))).resolves.toBeUndefined();
    await expect(confirmByTyping({ ...consent, yes: false }, terminal("no"))).rejects.toEqual(new Refusal('"no" is not "abc-123"; nothing was written'));
  });
});
