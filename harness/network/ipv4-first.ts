export const IPV4_FIRST_OPTION = '--dns-result-order=ipv4first';

/**
 * NODE_OPTIONS for the services the harness starts: the user's own, with IPv4-first name resolution appended, so a
 * Node service that calls `localhost` reaches an IPv4-only peer. A --dns-result-order the user set is kept as is.
 * Returns undefined when nothing changes.
 */
export function serviceNodeOptions(userNodeOptions: string | undefined, ipv4First: boolean): string | undefined {
  if (!ipv4First) return undefined;
  const own = userNodeOptions?.trim() ?? '';
  if (/(^|\s)--dns-result-order(=|\s|$)/.test(own)) return undefined;
  return own ? `${own} ${IPV4_FIRST_OPTION}` : IPV4_FIRST_OPTION;
}

/** The variables the harness adds to every started service's environment (the rest is inherited). */
export function serviceEnvironment(config: { ipv4First: boolean; nodeOptions?: string }): NodeJS.ProcessEnv {
  const nodeOptions = serviceNodeOptions(config.nodeOptions, config.ipv4First);
  return nodeOptions === undefined ? {} : { NODE_OPTIONS: nodeOptions };
}
