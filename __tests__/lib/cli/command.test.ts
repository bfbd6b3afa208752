import { CommandSpec, OptionName, UsageError, helpText, parseCommandLine, usage } from "../../../lib/cli/command";

const switchLock: CommandSpec<"output"> = {
  name: "switch-lock",
  summary: "Moves the state to another lock mode.",
  args: ["<dynamodb|s3|both>"],
  options: { output: "cdktf's synth output directory" },
};
const teardown: CommandSpec<"yes" | "output"> = {
  name: "teardown",
  summary: "Destroys everything.",
  options: { yes: "go on without asking", output: "cdktf's synth output directory" },
};

function usageError<O extends OptionName>(spec: CommandSpec<O>, argv: string[]): string {
  try {
    parseCommandLine(spec, argv);
  } catch (error) {
    if (error instanceof UsageError) return error.message;
    throw error;
  }
  throw new Error(`${argv.join(" ")} was accepted`);
}

describe("a command line", () => {
  test("takes its arguments and options, with defaults for those not given", () => {
    expect(parseCommandLine(switchLock, ["s3", "--output", "/tmp/out"])).toEqual({ positionals: ["s3"], options: { output: "/tmp/out" } });
    expect(parseCommandLine(switchLock, ["both"])).toEqual({ positionals: ["both"], options: { output: undefined } });
    expect(parseCommandLine(teardown, ["--yes"])).toEqual({ positionals: [], options: { yes: true, output: undefined } });
    expect(parseCommandLine(teardown, [])).toEqual({ positionals: [], options: { yes: false, output: undefined } });
  });

  test("an unknown option is refused, even one that another command takes", () => {
    expect(usageError(teardown, ["--yes", "--force"])).toBe("unknown option --force");
    expect(usageError(switchLock, ["s3", "--yes"])).toBe("unknown option --yes");
    expect(usageError(teardown, ["-y"])).toBe("unknown option -y");
  });

  test("an option that needs a value, given none, is refused", () => {
    expect(usageError(switchLock, ["s3", "--output"])).toBe("--output needs a value");
  });

  test("a flag given a value is refused", () => {
    expect(usageError(teardown, ["--yes=no"])).toBe("--yes takes no value");
  });

  test("a missing or extra argument is refused", () => {
    expect(usageError(switchLock, [])).toBe("missing <dynamodb|s3|both>");
    expect(usageError(switchLock, ["s3", "both"])).toBe('unexpected argument "both"');
    expect(usageError(teardown, ["now"])).toBe('unexpected argument "now"');
  });

  test("--help asks for the help text, whatever else is there", () => {
    expect(parseCommandLine(switchLock, ["--help"])).toBe("help");
    expect(parseCommandLine(teardown, ["--yes", "--help"])).toBe("help");
  });

  test("the usage line spells each option as every command does", () => {
    expect(usage(switchLock)).toBe("usage: npm run switch-lock -- <dynamodb|s3|both> [--output PATH]");
    expect(usage(teardown)).toBe("usage: npm run teardown -- [--yes] [--output PATH]");
    expect(helpText(teardown).split("\n")).toEqual([
      "usage: npm run teardown -- [--yes] [--output PATH]",
      "",
      "Destroys everything.",
      "",
      "  --yes          go on without asking",
      "  --output PATH  cdktf's synth output directory",
      "  --help         print this and exit",
    ]);
  });
});
