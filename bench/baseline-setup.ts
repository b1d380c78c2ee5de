// Baseline only: Playwright's webServer has already waited for both services before global setup runs;
// this hands the specs' `services` fixture an outcome saying so, through the same boot channel.
import { openBootChannel } from '../harness/gate/boot-channel.ts';
import { publishBootChannel } from '../harness/gate/runner-process.ts';

export default async function baselineSetup(): Promise<() => Promise<void>> {
  const channel = await openBootChannel(Promise.resolve({ ok: true, services: [] }));
  publishBootChannel(channel.url);
  return () => channel.close();
}
