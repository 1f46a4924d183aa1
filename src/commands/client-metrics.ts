import { Flags } from '@oclif/core'
import { KafkitCommand } from '../base-command.js'
import { connectionFromFlags } from '../connection/settings.js'
import { connectionFlags, optionalDurationFlag } from '../flags.js'
import { MATCH_SELECTORS, metricsRequest } from '../client-metrics/options.js'
import type { MetricsResult } from '../client-metrics/service.js'

export default class ClientMetrics extends KafkitCommand<typeof ClientMetrics> {
  static override aliases = ['kafka-client-metrics', 'kafka-client-metrics.sh']
  static override deprecateAliases = false
  static override summary =
    'List, describe, alter and delete client metrics subscriptions (KIP-714), like kafka-client-metrics.sh.'
  static override description = `Takes kafka-client-metrics.sh's flags (Kafka 4.4) and prints what it prints; the bootstrap server defaults to the running local stack.
A subscription names the metrics (prefixes) that matching clients push, and how often. An empty --interval, --metrics or --match removes that setting.`
  static override examples = [
    '<%= config.bin %> client-metrics --alter --name producers --metrics org.apache.kafka.producer. --interval 10000 --match client_software_name=apache-kafka-java',
    '<%= config.bin %> client-metrics --alter --generate-name --metrics org.apache.kafka.consumer.',
    '<%= config.bin %> client-metrics --list',
    '<%= config.bin %> client-metrics --describe --name producers',
    '<%= config.bin %> client-metrics --delete --name producers',
  ]

  static override flags = {
    ...connectionFlags,
    alter: Flags.boolean({ description: 'Create or change a subscription.', helpGroup: 'ACTION' }),
    delete: Flags.boolean({ description: 'Delete a subscription (--name).', helpGroup: 'ACTION' }),
    describe: Flags.boolean({ description: 'Show subscriptions (--name, else all).', helpGroup: 'ACTION' }),
    list: Flags.boolean({ description: 'List subscription names.', helpGroup: 'ACTION' }),
    name: Flags.string({ description: 'Name of the subscription (client metrics resource).' }),
    'generate-name': Flags.boolean({
      description: 'With --alter: name the new subscription with a random Kafka UUID.',
    }),
    interval: Flags.string({
      description: 'Push interval in milliseconds; empty resets it.',
      helpGroup: 'SUBSCRIPTION',
    }),
    metrics: Flags.string({
      description: "Metric name prefixes 'm1,m2' (repeatable; empty: none).",
      multiple: true,
      multipleNonGreedy: true,
      helpGroup: 'SUBSCRIPTION',
    }),
    match: Flags.string({
      description: `Client selectors 'k1=v1,k2=v2' (repeatable): ${MATCH_SELECTORS.join(', ')}.`,
      multiple: true,
      multipleNonGreedy: true,
      helpGroup: 'SUBSCRIPTION',
    }),
    timeout: optionalDurationFlag('Request timeout', { min: 1 }),
  }

  async run(): Promise<MetricsResult> {
    const f = this.flags
    const request = metricsRequest(f)
    const [service, views] = await Promise.all([
      import('../client-metrics/service.js'),
      import('../client-metrics/views.js'),
    ])
    const result = await service.runClientMetrics(
      {
        connection: connectionFromFlags(f),
        reporter: this.reporter,
        debug: this.debugEnabled,
        ...(f.timeout ? { requestTimeoutMs: f.timeout } : {}),
      },
      request,
    )
    if (!this.jsonEnabled()) process.stdout.write(views.renderMetrics(result))
    return result
  }
}
