/** Variables that CI systems set (not preflight's own), read here like every other variable. */
export interface CiEnvironment {
  /** Running under CI (CI=true or any non-empty value but "false"): terse console output. */
  isCi: boolean;
  /** GitHub Actions: the job summary file that reports/summary.md is appended to. */
  githubStepSummary?: string;
}

export function ciEnvironment(env: NodeJS.ProcessEnv = process.env): CiEnvironment {
  return { isCi: Boolean(env.CI) && env.CI !== 'false', githubStepSummary: env.GITHUB_STEP_SUMMARY || undefined };
}
