/** Variables that CI systems set (not preflight's own), read here like every other variable. */
export interface CiEnvironment {
  /** GitHub Actions: the job summary file that reports/summary.md is appended to. */
  githubStepSummary?: string;
}

export function ciEnvironment(env: NodeJS.ProcessEnv = process.env): CiEnvironment {
  return { githubStepSummary: env.GITHUB_STEP_SUMMARY || undefined };
}
