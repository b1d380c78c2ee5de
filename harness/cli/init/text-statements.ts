// Ports stated in running text: URLs with a port hard-coded in source files and scripts (statements, checked as
// warnings), and Markdown (counted, unless the drift rules list the file in `docs`).
import path from 'node:path';
import { mentionSource, nameOnLine, portMentions } from '../../drift/port-mentions.ts';
import { serviceByOwnPort, serviceByPath, serviceNamed } from './naming.ts';
import { readText, rel, SKIPPED_FOR_A_PERSON, walkFiles } from './repo-files.ts';
import type { DetectedService, PortStatement } from './statements.ts';

export const SOURCE_EXTENSIONS = ['.ts', '.tsx', '.js', '.jsx', '.mjs', '.cjs', '.ps1', '.sh'];
/** Read elsewhere (PM2 files), or preflight's own and the test runner's: not the app's statements. */
const NOT_SOURCE = /^(?:(?:ecosystem|pm2)(?:\.[\w-]+)?\.config\.[cm]?js|preflight\.config\.[cm]?[jt]s|playwright(?:\.[\w-]+)?\.config\.[cm]?[jt]s|drift\.rules\.[cm]?[jt]s|(?:jest|vitest|cypress|karma)\.config\.[cm]?[jt]s)$/;
const SHOWN = 3;

function examples(items: string[]): string {
  return `${items.slice(0, SHOWN).join(', ')}${items.length > SHOWN ? `, ...` : ''}`;
}

/**
 * URLs with a port (http://localhost:3003) in the repository's source files and scripts, each tied to the service its
 * line names, or whose routes its path starts with, or whose own port it is; the rest are counted.
 */
export function hardCodedStatements(root: string, services: DetectedService[], statements: PortStatement[], leaveOut: string[], found: string[], counts: string[]): void {
  const files = walkFiles(root, root, {
    file: (name) => SOURCE_EXTENSIONS.includes(path.extname(name)) && !NOT_SOURCE.test(name),
    skip: (relative) => leaveOut.includes(relative),
    skipTests: true,
  });
  const unnamed: string[] = [];
  const added: PortStatement[] = [];
  for (const full of files) {
    const file = rel(root, full);
    const lines = (readText(full) ?? '').split(/\r?\n/);
    lines.forEach((line, index) => {
      for (const mention of portMentions(line)) {
        const after = line.slice(mention.at + mention.text.length);
        const service = serviceNamed(line, services) ?? serviceByPath(after, services) ?? serviceByOwnPort(mention.port, services, statements);
        const where = `${file}:${index + 1}`;
        if (!service) {
          unnamed.push(`${where} (port ${mention.port})`);
          continue;
        }
        added.push({ service: service.name, port: mention.port, host: mention.host, where, source: mentionSource(file, line, mention), own: false, kind: 'hard-coded' });
      }
    });
  }
  statements.push(...added);
  const notRead = [SKIPPED_FOR_A_PERSON, ...leaveOut.map((folder) => `${folder}/`)].join(', ');
  found.push(`${files.length} source files and scripts (${SOURCE_EXTENSIONS.join(', ')}) for URLs with a port: ${added.length} tied to a service; not read: ${notRead}`);
  if (unnamed.length) counts.push(`${unnamed.length} URL(s) with a port in source files name no service and are not checked (${examples(unnamed)})`);
}

/**
 * Markdown: the files the drift rules list in `docs` give statements (checked as warnings); every other file's port
 * statements are only counted, so hundreds of lines of history do not bury the one real disagreement.
 */
export function markdownStatements(root: string, services: DetectedService[], statements: PortStatement[], listed: string[] | undefined, notDetected: string[], found: string[], counts: string[]): void {
  const files = walkFiles(root, root, { file: (name) => name.toLowerCase().endsWith('.md') && !/^(CHANGELOG|LICENSE)/i.test(name), maxFiles: 20_000 });
  let unchecked = 0;
  let uncheckedFiles = 0;
  for (const full of files) {
    const file = rel(root, full);
    const checked = listed?.includes(file) ?? false;
    const lines = (readText(full) ?? '').split(/\r?\n/);
    let inFile = 0;
    lines.forEach((line, index) => {
      for (const mention of portMentions(line, { prose: true })) {
        inFile++;
        if (!checked) continue;
        // As drift reads a listed doc (harness/drift/docs-rules.ts): the service's name on the line, or the only service.
        const named = nameOnLine(line, services.map((service) => service.name)) ?? (services.length === 1 ? services[0]!.name : undefined);
        const service = services.find((candidate) => candidate.name === named);
        if (!service) {
          notDetected.push(`${file}:${index + 1} names port ${mention.port}, but not which service (drift does not check it: name the service on the line)`);
          continue;
        }
        statements.push({ service: service.name, port: mention.port, host: mention.host, where: `${file}:${index + 1}`, source: mentionSource(file, line, mention), own: false, kind: 'doc' });
      }
    });
    if (checked) found.push(`${file} (listed in drift.rules.ts docs: ${inFile} port statement(s))`);
    else if (inFile) {
      unchecked += inFile;
      uncheckedFiles++;
    }
  }
  if (unchecked) counts.push(`${unchecked} port statement(s) in ${uncheckedFiles} Markdown file(s) not checked; list the ones to check in drift.rules.ts docs (e.g. docs: ['README.md'])`);
}
