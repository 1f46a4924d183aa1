import { Flags } from '@oclif/core'
import { KafkitCommand } from '../base-command.js'
import { connectionFromFlags } from '../connection/settings.js'
import { ExitCode } from '../errors.js'
import { connectionFlags } from '../flags.js'
import { replicaVerificationSettings } from '../replica-verification/options.js'
import type { ReplicaVerificationResult } from '../replica-verification/service.js'
import { runStoppable } from '../signals.js'

export default class ReplicaVerification extends KafkitCommand<typeof ReplicaVerification> {
  static override aliases = ['kafka-replica-verification', 'kafka-replica-verification.sh']
  static override deprecateAliases = false
  static override summary =
    'Check that all replicas of some topics hold the same data, like kafka-replica-verification.sh.'
  static override description = `Fetches every partition from every broker holding a replica of it, compares the replicas batch by batch up to the high watermark (offsets and checksums), and prints the largest lag among them every --report-interval-ms, in the script's words:
  2026-01-01 12:00:00,123: max lag is 0 for partition orders-0 at offset 42 among 3 partitions
A line says where checksums differ; differing offsets end the run with exit code 1. It runs until Ctrl-C / SIGTERM, or, beyond the script, for --max-reports report lines. --broker-list (the script's flag) is --bootstrap-server. With --json the reports come as one summary at the end.`
  static override examples = [
    '<%= config.bin %> replica-verification --topics-include "orders.*" --report-interval-ms 5000',
    '<%= config.bin %> replica-verification --topics-include orders --report-interval-ms 1000 --max-reports 1 --json',
    '<%= config.bin %> kafka-replica-verification.sh --broker-list localhost:9092 --topics-include orders',
  ]

  static override flags = {
    ...connectionFlags,
    'topics-include': Flags.string({ description: 'Java regex of the topics to verify (default .*).' }),
    'topic-white-list': Flags.string({
      description: 'Deprecated (3.9): --topics-include; ignored when --topics-include is given.',
      hidden: true,
    }),
    'fetch-size': Flags.integer({ description: 'The fetch size of each request (bytes).', default: 1_048_576 }),
    'max-wait-ms': Flags.integer({ description: 'The max amount of time each fetch request waits.', default: 1000 }),
    time: Flags.string({
      description: 'Timestamp for getting the initial offsets: -1 (latest), -2 (earliest) or ms.',
      default: '-1',
    }),
    'report-interval-ms': Flags.integer({ description: 'The reporting interval (ms).', default: 30_000 }),
    'max-reports': Flags.integer({
      description: 'kafkit: stop after this many report lines (default: until stopped).',
    }),
  }

  async run(): Promise<ReplicaVerificationResult | undefined> {
    const f = this.flags
    const settings = replicaVerificationSettings(f)
    const connection = connectionFromFlags(f)
    const { runReplicaVerification } = await import('../replica-verification/service.js')
    const json = this.jsonEnabled()
    const result = await runStoppable((onControl) =>
      runReplicaVerification(
        { ...settings, connection, reporter: this.reporter, debug: this.debugEnabled },
        (line) => {
          if (!json) process.stdout.write(`${line}\n`)
        },
        onControl,
      ),
    )
    const code = result.offsetMismatch ? ExitCode.failure : result.stopped ? ExitCode.interrupted : ExitCode.ok
    return this.finish(json ? result : undefined, code)
  }
}
