import path from 'node:path';

/** One entry per command; each lives in its own module and returns the exit code. */
type Command = { summary: string; run(args: string[]): Promise<number> };

const commands: Record<string, () => Promise<Command>> = {
  drift: () => import('./drift.ts'),
  doctor: () => import('./doctor.ts'),
  health: () => import('./health.ts'),
  cleanup: () => import('./cleanup.ts'),
  history: () => import('./history.ts'),
  init: () => import('./init/init-command.ts'),
};

function usage(): string {
  const lines = Object.keys(commands).map((name) => `  npx preflight ${name}`);
  return [
    'usage: npx preflight <command> [--config <preflight.config.ts>] [options]',
    '',
    'commands:',
    ...(lines.length ? lines : ['  (none yet)']),
    '',
    'Every command reads the nearest preflight.config.ts up from the current folder (within the repository);',
    '--config <file> (or PREFLIGHT_CONFIG) names another, relative to the current folder. Paths resolve from its folder.',
  ].join('\n');
}

/**
 * `--config <file>` of any command: the gate configuration file, as PREFLIGHT_CONFIG names it (relative to the current
 * folder). Set before the command's modules load: they locate the project once (harness/core/project-root.ts).
 */
function takeConfigOption(argv: string[], env: NodeJS.ProcessEnv = process.env): string[] | { problem: string } {
  const rest: string[] = [];
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index]!;
    if (arg === '--') {
      rest.push(...argv.slice(index));
      break;
    }
    if (arg !== '--config' && !arg.startsWith('--config=')) {
      rest.push(arg);
      continue;
    }
    const value = arg === '--config' ? argv[++index] : arg.slice('--config='.length);
    if (!value) return { problem: 'preflight: --config expects a file, e.g. --config e2e/preflight.config.ts' };
    env.PREFLIGHT_CONFIG = path.resolve(value);
  }
  return rest;
}

export async function main(argv: string[]): Promise<number> {
  const taken = takeConfigOption(argv);
  if (!Array.isArray(taken)) {
    console.error(`${taken.problem}\n${usage()}`);
    return 3;
  }
  const [name, ...args] = taken;
  if (!name || name === '--help' || name === '-h') {
    console.log(usage());
    return name ? 0 : 3;
  }
  const load = commands[name];
  if (!load) {
    console.error(`preflight: unknown command "${name}".\n${usage()}`);
    return 3;
  }
  return (await load()).run(args);
}
