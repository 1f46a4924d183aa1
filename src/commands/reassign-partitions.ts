import { Flags } from '@oclif/core'
import { KafkitCommand } from '../base-command.js'
import { connectionFromFlags } from '../connection/settings.js'
import { ExitCode } from '../errors.js'
import { connectionFlagsWithoutBrokerList } from '../flags.js'
import type { ReassignRequest, ReassignResult } from '../partitions/reassign.js'
import {
  checkBrokerListUnique,
  checkExecuteAssignment,
  parseBrokerIds,
  parseReassignmentJson,
  parseTopicsToMoveJson,
  readInputFile,
  reassignAction,
} from '../partitions/options.js'

const ACTION = 'ACTION'

export default class ReassignPartitions extends KafkitCommand<typeof ReassignPartitions> {
  static override summary =
    'Move partition replicas between brokers (generate, execute, verify, cancel, list), like kafka-reassign-partitions.sh.'
  static override description = `The script's five actions, its JSON files and its output:
--generate --topics-to-move-json-file F --broker-list 1,2,3   propose a layout on those brokers (random start, as Kafka's); nothing changes
--execute --reassignment-json-file F [--throttle B/s] [--additional]   start moving; prints the current layout to roll back to
--verify --reassignment-json-file F   done or still in progress; once nothing moves, removes the throttles (unless --preserve-throttles)
--cancel --reassignment-json-file F   stop the ongoing moves of those partitions
--list   the reassignments in progress
Moves between the log directories of one broker ("log_dirs" other than "any") are not supported.`

  static override aliases = ['kafka-reassign-partitions', 'kafka-reassign-partitions.sh']
  static override deprecateAliases = false

  static override examples = [
    {
      description: 'Propose a layout of two topics on brokers 1 and 2',
      command:
        '<%= config.bin %> reassign-partitions --generate --topics-to-move-json-file topics.json --broker-list 1,2',
    },
    {
      description: 'Start it, throttled to 10 MB/s',
      command: '<%= config.bin %> reassign-partitions --execute --reassignment-json-file plan.json --throttle 10000000',
    },
    {
      description: 'Check it (and remove the throttle when done)',
      command: '<%= config.bin %> reassign-partitions --verify --reassignment-json-file plan.json',
    },
    {
      description: "The script's command line",
      command: '<%= config.bin %> kafka-reassign-partitions.sh --bootstrap-server localhost:9092 --list',
    },
  ]

  static override flags = {
    ...connectionFlagsWithoutBrokerList,
    generate: Flags.boolean({ description: 'Propose a reassignment of the topics to the brokers.', helpGroup: ACTION }),
    execute: Flags.boolean({ description: 'Start the reassignment of the JSON file.', helpGroup: ACTION }),
    verify: Flags.boolean({
      description: 'Whether the reassignment is done; then remove the throttles.',
      helpGroup: ACTION,
    }),
    cancel: Flags.boolean({ description: 'Cancel the ongoing reassignments of the JSON file.', helpGroup: ACTION }),
    list: Flags.boolean({ description: 'List the ongoing reassignments.', helpGroup: ACTION }),
    'reassignment-json-file': Flags.string({
      description:
        'Partition layout: {"version":1,"partitions":[{"topic":"t","partition":0,"replicas":[1,2],"log_dirs":["any","any"]}]}.',
    }),
    'topics-to-move-json-file': Flags.string({
      description: 'With --generate: {"topics":[{"topic":"t"}],"version":1}.',
    }),
    'broker-list': Flags.string({ description: 'With --generate: the brokers to place the replicas on, "1,2,3".' }),
    throttle: Flags.integer({
      description: 'With --execute: limit replication between brokers to this many bytes/s (at least 1 KB/s).',
    }),
    'replica-alter-log-dirs-throttle': Flags.integer({
      description: 'With --execute: limit moves between log directories to this many bytes/s.',
    }),
    timeout: Flags.integer({ description: "Accepted for the script's command lines (log directory moves only)." }),
    additional: Flags.boolean({ description: 'With --execute: start even though other reassignments are running.' }),
    'preserve-throttles': Flags.boolean({ description: 'With --verify or --cancel: leave the throttles as they are.' }),
    'disable-rack-aware': Flags.boolean({ description: "With --generate: ignore the brokers' racks." }),
    'disallow-replication-factor-change': Flags.boolean({
      description: "With --execute: refuse a layout that changes a partition's replica count (Kafka 4.1+).",
    }),
  }

  async run(): Promise<ReassignResult> {
    const f = this.flags
    // The script's default for both throttles is -1: no throttle.
    const throttle = f.throttle !== undefined && f.throttle >= 0 ? f.throttle : undefined
    const logDirThrottle =
      f['replica-alter-log-dirs-throttle'] !== undefined && f['replica-alter-log-dirs-throttle'] >= 0
        ? f['replica-alter-log-dirs-throttle']
        : undefined
    const action = reassignAction({ ...f, throttle, 'replica-alter-log-dirs-throttle': logDirThrottle })
    const assignment = () =>
      parseReassignmentJson(readInputFile(f['reassignment-json-file']!, '--reassignment-json-file'))
    let request: ReassignRequest
    switch (action) {
      case 'generate': {
        const brokers = parseBrokerIds(f['broker-list']!)
        checkBrokerListUnique(brokers)
        const topics = parseTopicsToMoveJson(
          readInputFile(f['topics-to-move-json-file']!, '--topics-to-move-json-file'),
        )
        request = { action, topics, brokers, rackAware: !f['disable-rack-aware'] }
        break
      }
      case 'execute': {
        const parsed = assignment()
        checkExecuteAssignment(parsed)
        request = {
          action,
          assignment: parsed,
          additional: f.additional,
          throttle: throttle ?? null,
          logDirThrottle: logDirThrottle ?? null,
          allowReplicationFactorChange: !f['disallow-replication-factor-change'],
        }
        break
      }
      case 'verify':
      case 'cancel':
        request = { action, assignment: assignment(), preserveThrottles: f['preserve-throttles'] }
        break
      case 'list':
        request = { action }
        break
    }
    const settings = connectionFromFlags(f)
    const [{ runReassign }, { reassignText }] = await Promise.all([
      import('../partitions/reassign.js'),
      import('../partitions/views.js'),
    ])
    const result = await runReassign(settings, request, this.reporter)
    // Written as is: the script's output is not always newline-terminated (--cancel --preserve-throttles).
    if (!this.jsonEnabled()) process.stdout.write(reassignText(result))
    const failed = (result.action === 'execute' || result.action === 'cancel') && result.errors.length > 0
    return this.finish(result, failed ? ExitCode.failure : ExitCode.ok)
  }
}
