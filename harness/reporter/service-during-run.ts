import type { VerdictReport } from './verdict-report.ts';

/**
 * What a service did during the run, in one place for summary.md and the HTML report. A service that was never
 * ready (it failed, or was stopped with a boot that failed elsewhere) did not serve, whatever its process did.
 */
export function duringTheRun(service: VerdictReport['services'][number]): string {
  const died = service.diedDuringRun;
  if (died) return `died during the run at ${died.at} (${died.signal ? `killed by ${died.signal}` : `exit code ${died.exitCode}`})`;
  if (service.failure) return 'never ready';
  if (service.reused) return 'reused, served until the end';
  if (service.readyAt === undefined) return 'never ready: stopped with the boot';
  return 'served until teardown';
}
