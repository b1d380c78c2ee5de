// Baseline only: Playwright's webServer has already waited for both services before global setup runs;
// this hands the specs' `services` fixture an outcome saying so, through the same boot channel.
import { BOOT_CHANNEL_VAR, openBootChannel } from '../harness/gate/boot-channel.ts';

export default async function baselineSetup(): Promise<() => Promise<void>> {
  const channel = await openBootChannel(Promise.resolve({ ok: true, services: [] }));
  process.env[BOOT_CHANNEL_VAR] = channel.url;
  return () => channel.close();
}
