// A long run told in one line per step: what was done and how long it took, a line beforehand saying why
// when a step is known to take long, and everything the step's programs printed in a log file, whose last
// lines are shown when the step fails. --verbose shows that output as it arrives instead.
import * as fs from "fs";
import * as path from "path";

export interface StepsOptions {
  /** Where every step's full output goes; created, or appended to. */
  readonly logFile: string;
  /** Print each step's output as it arrives, as well as logging it. */
  readonly verbose: boolean;
  readonly print?: (line: string) => void;
  /** Milliseconds, for the times shown; Date.now unless a test says otherwise. */
  readonly clock?: () => number;
  /** How many of a failed step's last lines to show. */
  readonly tailLines?: number;
}

export interface StepOptions<T> {
  /** Printed before the step starts: why it takes as long as it does. */
  readonly wait?: string;
  /** The line for the finished step, from what it returned; the title otherwise. */
  readonly done?: (result: T) => string;
}

/** Receives a step's output: program output as it arrives, in chunks, or with line() lines of the step's own. */
export interface StepOutput {
  (chunk: string): void;
  line(text: string): void;
}

// cdktf's spinner and blank lines say nothing a person needs, even with --verbose.
const NOISE = /^\s*$|Processing|Stacks? (deploying|done|waiting)|^\s*\[\d+[A-Z]/;

export const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

export class Steps {
  private readonly print: (line: string) => void;
  private readonly clock: () => number;

  constructor(private readonly options: StepsOptions) {
    this.print = options.print ?? ((line) => console.log(line));
    this.clock = options.clock ?? Date.now;
    fs.mkdirSync(path.dirname(options.logFile), { recursive: true });
  }

  /** A line of this run's own, on the screen and in the log. */
  say(line: string): void {
    this.print(line);
    fs.appendFileSync(this.options.logFile, `${line}\n`);
  }

  /** Runs one step; prints "✓ <done> (<time>)", or on failure "✗ <title>", its last lines and the log's path, and rethrows. */
  async run<T>(title: string, work: (output: StepOutput) => Promise<T>, step: StepOptions<T> = {}): Promise<T> {
    const started = this.clock();
    if (step.wait) this.print(`  … ${step.wait}`);
    fs.appendFileSync(this.options.logFile, `\n=== ${title} (${new Date().toISOString()})\n`);
    let output = "";
    let unprinted = ""; // with verbose: the start of a line whose end has not arrived yet
    const show = (text: string) => {
      const lines = (unprinted + text).split("\n");
      unprinted = lines.pop()!;
      for (const line of lines) if (!NOISE.test(line)) this.print(`      ${line.trimEnd()}`);
    };
    const collect = ((chunk: string) => {
      output = (output + chunk).slice(-100_000);
      fs.appendFileSync(this.options.logFile, chunk);
      if (this.options.verbose) show(chunk);
    }) as StepOutput;
    collect.line = (text) => collect(`${output && !output.endsWith("\n") ? "\n" : ""}${text}\n`);
    let result: T;
    try {
      result = await work(collect);
      if (this.options.verbose) show("\n");
    } catch (error) {
      if (this.options.verbose) show("\n");
      const took = seconds(this.clock() - started);
      const message = error instanceof Error ? error.message : String(error);
      fs.appendFileSync(this.options.logFile, `=== failed after ${took}: ${message}\n`);
      const tail = output.split("\n").filter((line) => line.trim()).slice(-(this.options.tailLines ?? 20));
      this.print(`✗ ${title} (failed after ${took})`);
      if (!this.options.verbose && tail.length) {
        this.print(`  its last ${tail.length} line${tail.length === 1 ? "" : "s"} of output:`);
        for (const line of tail) this.print(`    ${line.trimEnd()}`);
      }
      this.print(`  full output: ${this.options.logFile}`);
      throw error;
    }
    const took = seconds(this.clock() - started);
    const line = `✓ ${step.done ? step.done(result) : title} (${took})`;
    fs.appendFileSync(this.options.logFile, `=== ${line}\n`);
    this.print(line);
    return result;
  }
}
