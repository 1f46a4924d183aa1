import { Args, Flags } from '@oclif/core'
import { KafkitCommand } from '../base-command.js'
import { connectionFromFlags } from '../connection/settings.js'
import { connectionFlags } from '../flags.js'
import { CLUSTER_FLAGS, bootstrapOf, checkSubcommandFlags } from '../kraft/options.js'
import type { ApiVersionsResult, ClusterIdResult, EndpointsResult, UnregisterResult } from '../kraft/service.js'

export default class Cluster extends KafkitCommand<typeof Cluster> {
  static override aliases = ['kafka-cluster', 'kafka-cluster.sh']
  static override deprecateAliases = false
  static override summary =
    'Cluster id, endpoints, API versions, unregistering nodes, like kafka-cluster.sh (Kafka 4.4).'
  static override description = `Takes kafka-cluster.sh's subcommands and flags (Kafka 4.4) and prints what it prints: cluster-id, list-endpoints [--include-fenced-brokers], api-versions (every node's ApiVersions: the successor of kafka-broker-api-versions.sh, which kafkit keeps as broker-api-versions), unregister --id N (a broker), unregister-controller --id N.
--bootstrap-controller (-C) asks the controllers (list-endpoints and api-versions then list the controllers); the bootstrap server defaults to the running local stack.`
  static override examples = [
    '<%= config.bin %> cluster cluster-id',
    '<%= config.bin %> cluster list-endpoints --include-fenced-brokers',
    '<%= config.bin %> cluster api-versions',
    '<%= config.bin %> kafka-cluster.sh unregister --bootstrap-server localhost:9092 --id 3',
  ]

  static override args = {
    command: Args.string({ description: 'Subcommand.', required: true, options: Object.keys(CLUSTER_FLAGS) }),
  }

  static override flags = {
    ...connectionFlags,
    'command-config': Flags.string({
      char: 'c',
      description: 'Admin client properties file (security.protocol, sasl.*, ssl.*); --config is its deprecated name.',
      helpGroup: 'CONNECTION',
      aliases: ['config', 'admin.config'],
    }),
    'bootstrap-controller': Flags.string({
      char: 'C',
      description: 'KRaft controllers to connect to, host:port[,host:port] (instead of --bootstrap-server).',
      helpGroup: 'CONNECTION',
    }),
    id: Flags.integer({ char: 'i', description: 'unregister / unregister-controller: the node id.' }),
    'include-fenced-brokers': Flags.boolean({ description: 'list-endpoints: include fenced brokers.' }),
  }

  async run(): Promise<ClusterIdResult | EndpointsResult | ApiVersionsResult | UnregisterResult> {
    const f = this.flags
    const command = this.args.command
    checkSubcommandFlags('cluster', command, CLUSTER_FLAGS, f)
    const { UsageError } = await import('../errors.js')
    if ((command === 'unregister' || command === 'unregister-controller') && f.id === undefined)
      throw new UsageError(`${command} needs --id.`, { code: 'BAD_FLAGS' })
    const bootstrap = bootstrapOf(f)
    const ctx = {
      connection: connectionFromFlags({ ...f, 'bootstrap-server': bootstrap.server }),
      controllers: bootstrap.controllers,
      reporter: this.reporter,
      debug: this.debugEnabled,
    }
    const [service, views] = await Promise.all([import('../kraft/service.js'), import('../kraft/views.js')])
    const print = (text: string) => {
      if (!this.jsonEnabled()) process.stdout.write(text)
    }
    switch (command) {
      case 'cluster-id': {
        const result = await service.clusterId(ctx)
        print(
          result.clusterId !== null
            ? `Cluster ID: ${result.clusterId}\n`
            : 'No cluster ID found. The Kafka version is probably too old.\n',
        )
        return result
      }
      case 'list-endpoints': {
        const result = await service.listEndpoints(ctx, f['include-fenced-brokers'])
        print(views.renderEndpoints(result.nodes, result.controllers))
        return result
      }
      case 'api-versions': {
        const result = await service.apiVersions(ctx, 'id')
        print(views.renderApiVersions(result.nodes))
        return result
      }
      default: {
        const kind = command === 'unregister' ? 'broker' : 'controller'
        const result = await service.unregister(ctx, kind, f.id!)
        const Kind = kind === 'broker' ? 'Broker' : 'Controller'
        print(
          result.supported
            ? `${Kind} ${result.id} is no longer registered.\n`
            : `The target cluster does not support the ${kind} unregistration API.\n`,
        )
        return result
      }
    }
  }
}
