/** A value found in a file's text: where it sits and how to write a replacement in the same style. */
export interface ValueSlot {
  raw: string;
  start: number;
  end: number;
  /** Renders a new value the way this one is written (same quotes); absent, or undefined for a value it cannot write, when unsafe. */
  render?: (value: string) => string | undefined;
}

/** The extractor could not read the value: the file does not parse, or the key/path/pattern is absent. */
export class ExtractionProblem extends Error {
  constructor(readonly kind: 'unparseable' | 'absent', message: string) {
    super(message);
  }
}

/** 1-based line of a character offset. */
export function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}
