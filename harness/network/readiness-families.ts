import { serviceVariable, type ServedService } from '../config/types.ts';
import { diagnoseFamilies } from './family-diagnosis.ts';
import { probeAddressFamilies, type FamilyProbeOptions } from './family-probe.ts';

export const urlVariable = (service: Pick<ServedService, 'name'>) => serviceVariable(service, 'URL');

/** The line a readiness failure gets: which address families answer the service's readiness contract. */
export async function addressFamilyLine(service: ServedService, options: FamilyProbeOptions = {}): Promise<string> {
  const report = await probeAddressFamilies(service.healthUrl, options);
  return `  address families: ${diagnoseFamilies(report, { name: service.name, variable: urlVariable(service) }).text}`;
}
