import fs from 'node:fs';
import path from 'node:path';
import { detect } from './detect.ts';
import type { CommandLine, CommandSpec } from '../command-line.ts';
import { planServices, renderCriticalSpec, renderDriftRules, renderGateConfig, renderPlaywrightConfig, renderVsCodeTasks, renderWorkflow, SPEC_DIR } from './render.ts';

export const command: CommandSpec = {
  name: 'init',
  summary: 'Set preflight up in an existing repository: gate config, a first critical spec, drift rules, CI, VS Code tasks.',
  options: {
    root: { type: 'string', value: '<dir>', description: 'the repository to set up (default: the current directory)' },
    'dry-run': { type: 'boolean', description: 'show what would be written, write nothing' },
  },
  notes: ['It never overwrites a file.'],
  exitCodes: '0 written, 1 written but the repository states a port differently in different places (drift says where), 3 nothing found to gate',
};

/** `npx preflight init`: detect, then write each file only where none exists. */
export async function run({ values }: CommandLine): Promise<number> {
  const options = values as { root?: string; 'dry-run'?: boolean };
  const root = path.resolve(options.root ?? '.');
  if (!fs.statSync(root, { throwIfNoEntry: false })?.isDirectory()) {
    console.error(`preflight init: ${root} is not a directory.\n  fix: run it in your repository, or pass --root <your repository>.`);
    return 3;
  }
  const detection = await detect(root);
  const lines: string[] = [`preflight init in ${root}`];
  if (detection.services.length === 0) {
    lines.push('', 'Nothing to gate: no service found.', ...detection.notDetected.map((item) => `  - ${item}`));
    lines.push('  fix: run init where your package.json (or backend/ and frontend/ folders) is, or write preflight.config.ts by hand (docs/adopting.md).');
    console.error(lines.join('\n'));
    return 3;
  }
  const services = planServices(detection);
  const files: [string, string][] = [
    ['preflight.config.ts', renderGateConfig(services)],
    ['playwright.config.ts', renderPlaywrightConfig()],
    [`${SPEC_DIR}/critical.spec.ts`, renderCriticalSpec(services)],
    ['drift.rules.ts', renderDriftRules(services, detection.statements)],
    ['.github/workflows/preflight.yml', renderWorkflow()],
    ['.vscode/tasks.json', renderVsCodeTasks()],
  ];

  lines.push('', 'Detected:');
  for (const service of services) lines.push(`  - ${service.name} (${service.kind}): ${service.command}${service.cwd ? ` in ${service.cwd}/` : ''}, ${service.url}  [${service.commandFrom}]`);
  for (const item of detection.found) lines.push(`  - read ${item}`);
  const statementsOf = (name: string) => detection.statements.filter((statement) => statement.service === name);
  for (const service of services) lines.push(`  - ${service.name}'s port is stated in: ${statementsOf(service.name).map((statement) => statement.where).join(', ') || 'no file'}`);

  const written: string[] = [];
  const kept: string[] = [];
  for (const [name, content] of files) {
    const file = path.join(root, name);
    if (fs.existsSync(file)) {
      kept.push(name);
      continue;
    }
    if (!options['dry-run']) {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, content, { flag: 'wx' }); // wx: never overwrite, even one created meanwhile
    }
    written.push(name);
  }
  lines.push('', options['dry-run'] ? 'Would write:' : 'Wrote:', ...(written.length ? written.map((name) => `  - ${name}`) : ['  (nothing)']));
  if (kept.length) {
    lines.push('Left alone (already there; compare with `npx preflight init --dry-run --root <empty copy>` or docs/adopting.md):', ...kept.map((name) => `  - ${name}`));
  }
  lines.push('', 'Could not detect:', ...(detection.notDetected.length ? detection.notDetected.map((item) => `  - ${item}`) : ['  (nothing: every port found was tied to a service)']));
  const disagreements = services.flatMap((service) => (service.disagreement ? [service.disagreement] : []));
  if (disagreements.length) {
    lines.push('', 'The repository disagrees with itself:', ...disagreements.map((item) => `  - ${item}`));
    lines.push("  preflight.config.ts uses each service's own statement (its env file or script); `npx preflight drift` shows the rest, `npx preflight drift --fix --write` aligns them.");
  }
  lines.push('', 'Next:', '  npm install -D preflight    (if not installed yet)', '  npx preflight drift', '  npx playwright test');
  console.log(lines.join('\n'));
  return disagreements.length ? 1 : 0;
}
