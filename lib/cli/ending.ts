// How a long command ends: what exists now, what is left behind, and what to run next, each a short
// section of labelled rows, so the last screen answers "now what?".

export interface EndingSection {
  readonly title: string;
  /** [label, text]; a row without text is its label alone. */
  readonly rows: ReadonlyArray<readonly [string, string]>;
}

/** The sections as lines: a blank line, then each title and its rows, the labels of all sections in one column. */
export function endingLines(sections: readonly EndingSection[]): string[] {
  // A row without text (a command to copy whole) is no reason to push every other row's text right.
  const width = Math.max(0, ...sections.flatMap((section) => section.rows.filter(([, text]) => text).map(([label]) => label.length)));
  return [
    "",
    ...sections.flatMap((section) => [
      section.title,
      ...section.rows.map(([label, text]) => (text ? `  ${label.padEnd(width)}  ${text}` : `  ${label}`)),
    ]),
  ];
}
