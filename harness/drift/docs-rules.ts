// The Markdown files a rules file lists in `docs`: each port they state (http://localhost:3001, "port 3001") on a line
// that names one service is checked against that service's `<name> port` rule, as a warning (docs do not run).
import fs from 'node:fs';
import path from 'node:path';
import { mentionSource, nameOnLine, portMentions } from './port-mentions.ts';
import { isInvariant, type DriftRule, type DriftRules, type DriftSource } from './rules.ts';

const SHOWN_NOTES = 5;

export interface DocsRules {
  rules: DriftRule[];
  /** What was not checked, for a person: lines that name no one service, files that are not there. */
  notes: string[];
}

/** One warning rule per service whose port the listed docs state: its source of truth is the first source of `<name> port`. */
export function docsRules(rules: DriftRules, root: string): DocsRules {
  if (!rules.docs?.length) return { rules: [], notes: [] };
  const services = new Map<string, DriftSource>();
  for (const rule of rules.rules) {
    const name = /^(.+) port$/.exec(rule.fact)?.[1];
    if (name && !isInvariant(rule)) services.set(name, rule.sources[0]!);
  }
  const names = [...services.keys()];
  const found = new Map<string, DriftSource[]>();
  const unnamed: string[] = [];
  const notes: string[] = [];
  let checked = 0;
  for (const file of rules.docs) {
    let text: string;
    try {
      text = fs.readFileSync(path.resolve(root, file), 'utf8');
    } catch {
      notes.push(`docs: ${file} is listed in the rules file but not found under ${root}`);
      continue;
    }
    text.split(/\r?\n/).forEach((line, index) => {
      for (const mention of portMentions(line, { prose: true })) {
        const service = nameOnLine(line, names) ?? (names.length === 1 ? names[0] : undefined);
        if (!service) {
          unnamed.push(`${file}:${index + 1} (port ${mention.port})`);
          continue;
        }
        found.set(service, [...(found.get(service) ?? []), mentionSource(file, line, mention)]);
        checked++;
      }
    });
  }
  if (unnamed.length) {
    const more = unnamed.length > SHOWN_NOTES ? `, and ${unnamed.length - SHOWN_NOTES} more` : '';
    notes.push(`docs: ${unnamed.length} port statement(s) name no one service (${names.join(', ') || 'no "<service> port" rule'}) and are not checked: ${unnamed.slice(0, SHOWN_NOTES).join(', ')}${more}`);
  }
  if (checked) notes.unshift(`docs: ${checked} port statement(s) in ${rules.docs.length} listed file(s) checked (warnings: docs do not run)`);
  const docs: DriftRule[] = [...found].map(([service, sources]) => {
    // The same line found twice (a regex finds every match) is one source.
    const unique = [...new Map(sources.map((source) => [String('regex' in source ? source.regex : ''), source])).values()];
    return { fact: `${service} port in docs`, severity: 'warning', sources: [services.get(service)!, ...unique] };
  });
  return { rules: docs, notes };
}
