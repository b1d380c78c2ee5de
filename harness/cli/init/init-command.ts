import fs from 'node:fs';
import path from 'node:path';
import { PACKAGE_ROOT } from '../../core/project-root.ts';
import { shellQuote } from '../../core/shell-quote.ts';
import type { CommandLine, CommandSpec } from '../command-line.ts';
import { detect } from './detect.ts';
import { addDevDependency, addScript, hasDependency, planGate, type GatePlan } from './gate-command.ts';
import { planServices, renderCriticalSpec, renderDatabaseService, renderDriftRules, renderGateConfig, renderPlaywrightConfig, renderVsCodeTasks, renderWorkflow, SPEC_DIR, type DatabaseDeclaration, type PlannedService } from './render.ts';
import { readJson } from './repo-files.ts';

/** Places listed per service; drift.rules.ts has them all. */
const SHOWN_PLACES = 8;

export const command: CommandSpec = {
  name: 'init',
  summary: 'Set preflight up in an existing repository: gate config, a first critical spec, drift rules, CI, VS Code tasks.',
  options: {
    root: { type: 'string', value: '<dir>', description: 'the repository to set up (default: the current directory)' },
    'dry-run': { type: 'boolean', description: 'show what would be written, write nothing' },
  },
  notes: [
    'It never overwrites a file; the one edit it makes is a "gate" script added to package.json. Beside your own',
    "playwright.config.ts it writes the gate's own config (playwright.preflight.config.ts).",
  ],
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
  const database = detection.database ? renderDatabaseService(detection.database) : undefined;
  const services = planServices(detection, database);
  const gate = planGate(root);
  const files: [string, string][] = [
    ['preflight.config.ts', renderGateConfig(services, database)],
    [gate.playwrightConfig, renderPlaywrightConfig()],
    [`${SPEC_DIR}/critical.spec.ts`, renderCriticalSpec(services)],
    ['drift.rules.ts', renderDriftRules(services, detection.statements)],
    ['.github/workflows/preflight.yml', renderWorkflow(gate.npx)],
    ['.vscode/tasks.json', renderVsCodeTasks(gate.npx)],
  ];

  lines.push('', 'Detected:');
  for (const service of services) {
    lines.push(`  - ${service.name} (${service.kind}): ${service.command}${service.cwd ? ` in ${service.cwd}/` : ''}, ${service.url}  [${service.commandFrom}]`);
    const ready = service.readiness
      ? `readiness ${service.readiness.path}${service.readiness.contract ? ' (the readiness contract)' : ''}, found at ${service.readiness.where}`
      : `no readiness route found; the config uses GET / (${service.kind === 'frontend' ? '200-399' : 'any status below 500'})`;
    lines.push(`      ${ready}${service.liveness ? `; liveness ${service.liveness.path}, found at ${service.liveness.where}` : ''}`);
  }
  if (detection.database && database) {
    const found = detection.database;
    lines.push(`  - ${found.name} (PostgreSQL, needed by ${found.dependents.join(', ') || 'no service found'}): tcp://127.0.0.1:${found.port}, ${found.urlVariable} passed to ${found.dependents.join(', ') || 'nobody'}; migrations: ${found.migration ? `${found.migration.command}${found.migration.cwd ? ` in ${found.migration.cwd}/` : ''}` : 'none found'}  [${found.evidence.join(', ')}]`);
  }
  for (const item of detection.found) lines.push(`  - read ${item}`);
  for (const service of services) {
    const where = detection.statements.filter((statement) => statement.service === service.name).map((statement) => statement.where);
    const shown = where.length > SHOWN_PLACES ? `${where.slice(0, SHOWN_PLACES).join(', ')}, and ${where.length - SHOWN_PLACES} more (drift.rules.ts lists them all)` : where.join(', ');
    lines.push(`  - ${service.name}'s port is stated in: ${shown || 'no file'}; preflight.config.ts uses ${service.port} (${service.portFrom})`);
  }
  if (detection.notDeclared.length) {
    lines.push('', 'Found, not declared (left out of preflight.config.ts):', ...detection.notDeclared.map((item) => `  - ${item}`));
  }
  if (detection.counts.length) lines.push('', 'Counted, not listed:', ...detection.counts.map((item) => `  - ${item}`));

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
    written.push(name === gate.playwrightConfig && gate.appConfig ? `${name}  (the gate's own: your ${gate.appConfig} runs your suite and is left as it is)` : name);
  }
  if (gate.script?.state === 'add') {
    if (!options['dry-run']) addScript(root, gate.script);
    written.push(`package.json: script "${gate.script.name}": "${gate.script.command}"`);
  }
  if (database && fs.existsSync(path.join(root, 'package.json')) && !hasDependency(root, database.devDependency.name)) {
    if (!options['dry-run']) addDevDependency(root, database.devDependency);
    written.push(`package.json: devDependency "${database.devDependency.name}": "${database.devDependency.version}" (the database's PostgreSQL)`);
  }
  lines.push('', options['dry-run'] ? 'Would write:' : 'Wrote:', ...(written.length ? written.map((name) => `  - ${name}`) : ['  (nothing)']));
  if (kept.length) {
    lines.push('Left alone (already there; compare with `npx preflight init --dry-run --root <empty copy>` or docs/adopting.md):', ...kept.map((name) => `  - ${name}`));
  }
  lines.push('', 'Could not detect:', ...(detection.notDetected.length ? detection.notDetected.map((item) => `  - ${item}`) : ['  (nothing: every port found was tied to a service)']));
  if (detection.database?.notes.length) lines.push(...detection.database.notes.map((note) => `  - ${note}`));
  const disagreements = services.flatMap((service) => (service.disagreement ? [service.disagreement] : []));
  if (disagreements.length) {
    lines.push('', 'The repository disagrees with itself:', ...disagreements.map((item) => `  - ${item}`));
    lines.push("  preflight.config.ts uses each service's own statement (its PM2 app, env file, script or code); `npx preflight drift` shows the rest, `npx preflight drift --fix --write` aligns them.");
  }
  lines.push('', 'Next:', ...nextSteps(root, services, database, gate).map((step, index) => `  ${index + 1}. ${step}`));
  console.log(lines.join('\n'));
  return disagreements.length ? 1 : 0;
}

/** What the user can really do now, in order: install preflight, the env the app needs, drift, the gate. */
function nextSteps(root: string, services: PlannedService[], database: DatabaseDeclaration | undefined, gate: GatePlan): string[] {
  const steps: string[] = [];
  if (!fs.existsSync(path.join(root, 'node_modules', 'preflight', 'package.json'))) {
    const own = readJson(path.join(PACKAGE_ROOT, 'package.json')) ?? {};
    const tarball = path.join(PACKAGE_ROOT, `${own.name ?? 'preflight'}-${own.version ?? '0.0.0'}.tgz`);
    // Not on the npm registry yet: the tarball `npm pack` builds is what installs (docs/adopting.md).
    // Run from a copy installed elsewhere (another project's node_modules): that copy packs as it is, without a build.
    const packed = `${own.name ?? 'preflight'}-${own.version ?? '0.0.0'}.tgz`;
    steps.push(PACKAGE_ROOT.split(path.sep).includes('node_modules')
      ? `install preflight here from the copy this command runs from: \`npm pack --ignore-scripts ${shellQuote(PACKAGE_ROOT)}\` writes ${packed} here, then \`npm install -D ./${packed}\` (it is not on the npm registry yet)`
      : `install preflight here from its tarball: \`npm pack\` in ${PACKAGE_ROOT}, then \`npm install -D ${tarball}\` (it is not on the npm registry yet)`);
  }
  for (const folder of [...new Set(['', ...services.map((service) => service.cwd)])]) {
    const example = ['.env.example', '.env.sample', '.env.template'].find((name) => fs.existsSync(path.join(root, folder, name)));
    if (!example || fs.existsSync(path.join(root, folder, '.env'))) continue;
    const at = (name: string) => (folder ? `${folder}/${name}` : name);
    const given = [...new Set(services.filter((service) => service.cwd === folder && service.database).map((service) => service.database!.urlVariable))];
    steps.push(`the env the app needs: copy ${at(example)} to ${at('.env')} and fill in its values (your secrets stay there, never in preflight.config.ts)${given.length ? `; the gate sets ${given.join(', ')} itself` : ''}`);
  }
  if (database) steps.push(...database.next);
  steps.push('npx preflight drift');
  steps.push(`run the gate: ${gate.run}${gate.run !== gate.npx ? `   (= ${gate.npx})` : ''}${gate.noScript ? `; no npm script added: ${gate.noScript}` : ''}`);
  return steps;
}
