/** What a readiness contract says about the build that answers it. */
export interface BuildIdentity {
  version?: string;
  releaseId?: string;
}

/**
 * Which build is live: when both sides carry a version or a release id, a difference is a warning that names both
 * ("production runs 1.4.2, local is 1.5.0"). Undefined when they agree or cannot be compared.
 */
export function buildMismatch(local: BuildIdentity, production: BuildIdentity): string | undefined {
  const differences: string[] = [];
  if (local.version && production.version && local.version !== production.version) {
    differences.push(`production runs ${production.version}, local is ${local.version}`);
  }
  if (local.releaseId && production.releaseId && local.releaseId !== production.releaseId) {
    differences.push(`production runs release ${production.releaseId}, local is release ${local.releaseId}`);
  }
  return differences.length ? `${differences.join('; ')}: the build tested locally is not the one live in production` : undefined;
}
