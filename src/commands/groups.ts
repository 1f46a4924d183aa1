import { Flags } from '@oclif/core'
import { KafkitCommand } from '../base-command.js'
import { connectionFromFlags } from '../connection/settings.js'
import { connectionFlags, optionalDurationFlag } from '../flags.js'
import type { AllGroupsResult } from '../groups/service.js'

export default class Groups extends KafkitCommand<typeof Groups> {
  static override aliases = ['kafka-groups', 'kafka-groups.sh']
  static override deprecateAliases = false
  static override summary = 'List the groups of every type (classic, consumer, share, streams), like kafka-groups.sh.'
  static override description = `Takes kafka-groups.sh's flags and prints its table byte for byte (GROUP, TYPE, PROTOCOL, in the script's order); the bootstrap server defaults to the running local stack.
--list is the only action (and the default). Filters: --group-type classic|consumer|share|streams (any case), --protocol (the protocol type exactly), or one of --consumer (KIP-848 consumer groups and classic groups of the consumer protocol), --share, --streams.
"kafkit groups" is this command (kafka-groups.sh's short name); consumer groups' offsets, members and resets are "kafkit consumer-groups" (kafka-consumer-groups.sh), which "groups" used to be an alias of.`
  static override examples = [
    '<%= config.bin %> groups',
    '<%= config.bin %> groups --list --group-type consumer',
    '<%= config.bin %> groups --list --share',
    '<%= config.bin %> kafka-groups.sh --bootstrap-server localhost:9092 --list --protocol consumer',
  ]

  static override flags = {
    ...connectionFlags,
    list: Flags.boolean({ description: 'List the groups (the default).', helpGroup: 'ACTION' }),
    'group-type': Flags.string({
      description: "Only groups of this type: 'classic', 'consumer', 'share' or 'streams'.",
      helpGroup: 'FILTER',
    }),
    protocol: Flags.string({ description: 'Only groups of this protocol type.', helpGroup: 'FILTER' }),
    consumer: Flags.boolean({
      description:
        "Consumer groups of every kind: type 'consumer', and type 'classic' where the protocol type is 'consumer' or empty.",
      helpGroup: 'FILTER',
    }),
    share: Flags.boolean({ description: 'Share groups only.', helpGroup: 'FILTER' }),
    streams: Flags.boolean({ description: 'Streams groups only.', helpGroup: 'FILTER' }),
    timeout: optionalDurationFlag('Request timeout; also how long the first connection may take (else 3s)', {
      min: 1,
    }),
  }

  async run(): Promise<AllGroupsResult> {
    const f = this.flags
    const [service, views] = await Promise.all([import('../groups/service.js'), import('../groups/views.js')])
    const result = await service.listAllGroups(
      {
        connection: connectionFromFlags(f),
        stack: f.stack,
        reporter: this.reporter,
        debug: this.debugEnabled,
        ...(f.timeout ? { requestTimeoutMs: f.timeout } : {}),
      },
      {
        ...(f['group-type'] !== undefined ? { groupType: f['group-type'] } : {}),
        ...(f.protocol !== undefined ? { protocol: f.protocol } : {}),
        consumer: f.consumer,
        share: f.share,
        streams: f.streams,
      },
    )
    this.log(views.renderAllGroups(result))
    return result
  }
}
