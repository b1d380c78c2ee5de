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
  return ['usage: npx preflight <command> [options]', '', 'commands:', ...(lines.length ? lines : ['  (none yet)'])].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
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
