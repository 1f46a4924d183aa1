/** The text kafka-streams-application-reset.sh prints, from kafkit's result. Pure. */
import { javaList } from './options.js'
import type { StreamsResetResult } from './service.js'

export function renderStreamsReset(r: StreamsResetResult): string {
  const out: string[] = []
  if (r.removedMembers.length > 0) out.push(`Force deleting all active members in the group: ${r.applicationId}`)
  if (r.dryRun) out.push('----Dry run displays the actions which will be performed when running Streams Reset Tool----')
  if (r.intermediateTopics.length > 0)
    out.push('WARN: `--intermediate-topics` is deprecated and will be removed in a future release')
  if (r.inputTopics.length === 0 && r.intermediateTopics.length === 0) {
    out.push('No input or intermediate topics specified. Skipping seek.')
  } else {
    if (r.inputTopics.length > 0) out.push(`Reset-offsets for input topics ${javaList(r.inputTopics)}`)
    if (r.intermediateTopics.length > 0)
      out.push(`Seek-to-end for intermediate topics ${javaList(r.intermediateTopics)}`)
    if (r.notFoundInputTopics.length > 0) {
      out.push('Following input topics are not found, skipping them')
      for (const t of r.notFoundInputTopics) out.push(`Topic: ${t}`)
    }
    if (r.notFoundIntermediateTopics.length > 0) {
      out.push('Following intermediate topics are not found, skipping them')
      // Sic: no space after the colon in the tool.
      for (const t of r.notFoundIntermediateTopics) out.push(`Topic:${t}`)
    }
    const subscribed =
      r.inputTopics.some((t) => !r.notFoundInputTopics.includes(t)) ||
      r.intermediateTopics.some((t) => !r.notFoundIntermediateTopics.includes(t))
    if (subscribed) {
      if (r.inputPartitions.length > 0) {
        out.push(`Following input topics offsets will be reset to (for consumer group ${r.applicationId})`)
        out.push(...r.notes)
        for (const p of r.inputPartitions) out.push(`Topic: ${p.topic} Partition: ${p.partition} Offset: ${p.offset}`)
      }
      if (r.intermediatePartitions.length > 0) {
        out.push(`Following intermediate topics offsets will be reset to end (for consumer group ${r.applicationId})`)
        for (const p of r.intermediatePartitions) out.push(`Topic: ${p.topic}`)
      }
      out.push('Done.')
    }
  }
  out.push(`Deleting ${r.internalTopics.source} internal topics ${javaList(r.internalTopics.topics)}`)
  out.push('Done.')
  return `${out.join('\n')}\n`
}
