/**
 * The direct commands (see run.ts): the admin and metadata commands typed most, which run without oclif. Ids and
 * aliases only, so bin/run.js can tell from a command line's first word, at almost no cost, whether to load one
 * (test/unit/direct.test.ts checks them against the command classes). A command may be listed here only if its
 * class uses no more of oclif than src/direct/oclif-lite.ts provides.
 */
export const DIRECT_COMMANDS: Record<string, string[]> = {
  configs: ['kafka-configs', 'kafka-configs.sh'],
  'consumer-groups': ['kafka-consumer-groups', 'kafka-consumer-groups.sh'],
  'get-offsets': ['kafka-get-offsets', 'kafka-get-offsets.sh'],
  groups: ['kafka-groups', 'kafka-groups.sh'],
  'share-groups': ['kafka-share-groups', 'kafka-share-groups.sh'],
  'streams-groups': ['kafka-streams-groups', 'kafka-streams-groups.sh'],
  topics: ['kafka-topics', 'kafka-topics.sh'],
}

/** The id of the direct command the command line starts with, if any. */
export function directCommandId(argv: string[]): string | undefined {
  const word = argv[0]
  if (word === undefined) return undefined
  return Object.entries(DIRECT_COMMANDS).find(([id, aliases]) => id === word || aliases.includes(word))?.[0]
}
