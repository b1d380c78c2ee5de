/**
 * An error whose message is the whole diagnosis: Playwright prints it without a stack trace,
 * since the stack of the harness says nothing about the service that failed.
 */
export class PreflightError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PreflightError';
    this.stack = message;
  }
}
