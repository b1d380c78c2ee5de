import type { GateDefinition, ReadinessCheck, ReadinessCheckResult, ReadinessDefinition, ServiceDefinition } from './gate-schema.ts';

export type { GateDefinition, ReadinessCheck, ReadinessCheckResult, ReadinessDefinition, ServiceDefinition };

/**
 * Declares the gate in preflight.config.ts, with types for the editor. It returns its argument as is: the file is
 * validated when preflight loads it (harness/config/gate-file.ts), every problem reported at once.
 */
export function defineGate<const T extends GateDefinition>(definition: T): T {
  return definition;
}
