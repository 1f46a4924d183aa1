/** `kafkit leader-election`: kafka-leader-election.sh's ElectLeaders (preferred or unclean) and its outcome per partition. */
import type { ConnectionSettings } from '../connection/settings.js'
import type { Reporter } from '../output/reporter.js'
import { withClient } from '../cluster/connect.js'
import { ElectionType, electLeaders } from '../cluster/partitions-admin.js'
import type { ElectionTypeName, TopicPartition } from './options.js'

export interface ElectionResult {
  electionType: ElectionTypeName
  /** Partitions whose leader changed. */
  elected: TopicPartition[]
  /** Partitions whose leader was already the one asked for (ELECTION_NOT_NEEDED). */
  alreadyElected: TopicPartition[]
  failed: Array<TopicPartition & { error: string; errorMessage: string | null }>
  /** Every answer, in the broker's order (what the views print from). */
  partitions: Array<TopicPartition & { error: string | null; errorMessage: string | null }>
}

export async function runLeaderElection(
  settings: ConnectionSettings,
  request: { type: ElectionTypeName; partitions: TopicPartition[] | null },
  reporter?: Reporter,
): Promise<ElectionResult> {
  return withClient(settings, { reporter }, async (client) => {
    const code = request.type === 'PREFERRED' ? ElectionType.preferred : ElectionType.unclean
    const outcomes = await electLeaders(client, code, request.partitions)
    const partitions = outcomes.map((o) => ({
      topic: o.topic,
      partition: o.partition,
      error: o.error,
      errorMessage: o.errorMessage,
    }))
    const ref = (p: TopicPartition) => ({ topic: p.topic, partition: p.partition })
    return {
      electionType: request.type,
      elected: partitions.filter((p) => p.error === null).map(ref),
      alreadyElected: partitions.filter((p) => p.error === 'ELECTION_NOT_NEEDED').map(ref),
      failed: partitions
        .filter((p) => p.error !== null && p.error !== 'ELECTION_NOT_NEEDED')
        .map((p) => ({ ...ref(p), error: p.error!, errorMessage: p.errorMessage })),
      partitions,
    }
  })
}
