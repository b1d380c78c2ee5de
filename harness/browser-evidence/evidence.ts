/**
 * What the browser saw during a spec (console errors, uncaught page errors, failed requests to the app's own origins,
 * denied permissions): the shape the fixture attaches and the gate reporter reads (docs/browser-evidence.md).
 */

export type EvidenceKind = 'console error' | 'page error' | 'failed request' | 'permission denied';

export interface EvidenceItem {
  kind: EvidenceKind;
  text: string;
}

/** How a spec weighs what its browser saw: a warning (the default), critical, or ignored (still attached). */
export type BrowserErrorsSeverity = 'warning' | 'critical' | 'ignore';

/** Annotation a spec adds to weigh its browser's errors, e.g. `{ type: BROWSER_ERRORS_ANNOTATION, description: 'critical' }`. */
export const BROWSER_ERRORS_ANNOTATION = 'preflight-browser-errors';

/** The attachment's name in the report; its body is a BrowserEvidence as JSON. */
export const BROWSER_EVIDENCE_ATTACHMENT = 'browser evidence (preflight)';

export interface BrowserEvidence {
  severity: BrowserErrorsSeverity;
  /** Everything seen, including what did not fit in `items`. */
  count: number;
  items: EvidenceItem[];
}

/** How many items a spec keeps: the first ones name the cause, a page in a loop must not fill the report. */
export const MAX_ITEMS = 50;
/** How many the verdict names. */
export const NAMED_IN_VERDICT = 3;

export const describeItem = (item: EvidenceItem) => `${item.kind}: ${item.text}`;

/** The verdict's one-line reason for a spec that passed while its browser saw problems. */
export function evidenceReason(evidence: BrowserEvidence): string {
  const named = evidence.items.slice(0, NAMED_IN_VERDICT).map(describeItem).join('; ');
  const more = evidence.count > NAMED_IN_VERDICT ? ` (and ${evidence.count - NAMED_IN_VERDICT} more in the spec's attachment)` : '';
  return `passed, but the browser saw ${evidence.count} problem${evidence.count === 1 ? '' : 's'}: ${named}${more}`;
}

export function parseSeverity(value: string | undefined): BrowserErrorsSeverity | undefined {
  return value === 'warning' || value === 'critical' || value === 'ignore' ? value : undefined;
}

/** Reads the evidence a spec's result carries, if any (what the fixture attached). */
export function evidenceFromAttachments(attachments: { name: string; body?: Buffer }[]): BrowserEvidence | undefined {
  const attachment = attachments.find((a) => a.name === BROWSER_EVIDENCE_ATTACHMENT && a.body);
  if (!attachment) return undefined;
  try {
    const evidence = JSON.parse(attachment.body!.toString('utf8')) as BrowserEvidence;
    return evidence.count > 0 ? evidence : undefined;
  } catch {
    return undefined;
  }
}
