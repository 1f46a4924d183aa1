import { Args, Flags } from '@oclif/core'
import { KafkitCommand } from '../base-command.js'
import { connectionFromFlags } from '../connection/settings.js'
import { connectionFlags } from '../flags.js'
import { QUORUM_FLAGS, bootstrapOf, checkSubcommandFlags, quorumDescribeView } from '../kraft/options.js'
import type { AddControllerResult, QuorumDescribeResult, RemoveControllerResult } from '../kraft/service.js'

export default class MetadataQuorum extends KafkitCommand<typeof MetadataQuorum> {
  static override aliases = ['kafka-metadata-quorum', 'kafka-metadata-quorum.sh']
  static override deprecateAliases = false
  static override summary =
    'Describe the KRaft metadata quorum and change its voters, like kafka-metadata-quorum.sh (Kafka 4.4).'
  static override description = `Takes kafka-metadata-quorum.sh's flags (Kafka 4.4) and prints what it prints: describe --status (leader, epoch, high watermark, voters and observers) or --replication (one row per voter and observer; --human-readable shows "N ms ago").
add-controller adds the controller whose server.properties is --command-config to a dynamic quorum (KIP-853); remove-controller --controller-id N --controller-directory-id ID [--unregister] removes one; both take --dry-run.
Asks any broker (which forwards to the active controller), or with --bootstrap-controller a controller itself; the bootstrap server defaults to the running local stack.`
  static override examples = [
    '<%= config.bin %> metadata-quorum describe --status',
    '<%= config.bin %> metadata-quorum describe --replication --human-readable',
    '<%= config.bin %> kafka-metadata-quorum.sh --bootstrap-controller localhost:9093 describe --status',
    '<%= config.bin %> metadata-quorum --command-config controller-4.properties add-controller --dry-run',
  ]

  static override args = {
    command: Args.string({ description: 'Subcommand.', required: true, options: Object.keys(QUORUM_FLAGS) }),
  }

  static override flags = {
    ...connectionFlags,
    'bootstrap-controller': Flags.string({
      description: 'KRaft controllers to connect to, host:port[,host:port] (instead of --bootstrap-server).',
      helpGroup: 'CONNECTION',
    }),
    status: Flags.boolean({ description: 'A short summary of the quorum status.', helpGroup: 'DESCRIBE' }),
    replication: Flags.boolean({
      description: 'The replication state of every voter and observer.',
      helpGroup: 'DESCRIBE',
    }),
    'human-readable': Flags.boolean({
      description: 'With --replication: timestamps as "N ms ago".',
      helpGroup: 'DESCRIBE',
    }),
    'dry-run': Flags.boolean({
      description: 'add-controller, remove-controller: print what would be done, do nothing.',
      helpGroup: 'CONTROLLERS',
    }),
    'controller-id': Flags.integer({
      char: 'i',
      description: 'remove-controller: the id of the controller to remove.',
      helpGroup: 'CONTROLLERS',
    }),
    'controller-directory-id': Flags.string({
      char: 'd',
      description: 'remove-controller: the directory id of the controller to remove.',
      helpGroup: 'CONTROLLERS',
    }),
    unregister: Flags.boolean({
      description: 'remove-controller: also unregister the controller once removed from the voters.',
      helpGroup: 'CONTROLLERS',
    }),
  }

  async run(): Promise<QuorumDescribeResult | AddControllerResult | RemoveControllerResult> {
    const f = this.flags
    const command = this.args.command
    checkSubcommandFlags('metadata-quorum', command, QUORUM_FLAGS, f)
    const bootstrap = bootstrapOf(f)
    const ctx = {
      connection: connectionFromFlags({ ...f, 'bootstrap-server': bootstrap.server }),
      controllers: bootstrap.controllers,
      reporter: this.reporter,
      debug: this.debugEnabled,
    }
    const service = await import('../kraft/service.js')
    const print = (text: string) => {
      if (!this.jsonEnabled()) process.stdout.write(text)
    }
    if (command === 'add-controller') {
      // As the script: --command-config is both the client's properties and the new controller's configuration.
      const result = await service.addController(ctx, f['command-config'], f['dry-run'])
      print((await import('../kraft/voters.js')).renderAddController(result.voter, result.dryRun))
      return result
    }
    if (command === 'remove-controller') {
      const { UsageError } = await import('../errors.js')
      if (f['controller-id'] === undefined || f['controller-directory-id'] === undefined)
        throw new UsageError('remove-controller needs --controller-id and --controller-directory-id.', {
          code: 'BAD_FLAGS',
        })
      const result = await service.removeController(ctx, {
        id: f['controller-id'],
        directoryId: f['controller-directory-id'],
        dryRun: f['dry-run'],
        unregister: f.unregister,
      })
      print((await import('../kraft/voters.js')).renderRemoveController(result.id, result.directoryId, result))
      return result
    }
    const view = quorumDescribeView(f)
    const views = await import('../kraft/views.js')
    const result = await service.describeQuorum(ctx, view, f['human-readable'])
    print(result.view === 'status' ? views.renderQuorumStatus(result.status) : views.renderReplication(result.replicas))
    return result
  }
}
