/**
 * Flag rules of the KRaft tools (kafka-metadata-quorum, kafka-features, kafka-cluster), pure: the subcommand given
 * as the first argument, --bootstrap-server or --bootstrap-controller, and the flags each subcommand takes.
 */
import { UsageError } from '../errors.js'

/** --bootstrap-controller points kafkit's client at controllers; both at once is the scripts' own error. */
export function bootstrapOf(flags: { 'bootstrap-server'?: string; 'bootstrap-controller'?: string }): {
  server?: string
  controllers: boolean
} {
  if (flags['bootstrap-server'] !== undefined && flags['bootstrap-controller'] !== undefined)
    throw new UsageError('--bootstrap-server and --bootstrap-controller cannot be given together.', {
      code: 'BAD_FLAGS',
    })
  if (flags['bootstrap-controller'] !== undefined) return { server: flags['bootstrap-controller'], controllers: true }
  return {
    ...(flags['bootstrap-server'] !== undefined ? { server: flags['bootstrap-server'] } : {}),
    controllers: false,
  }
}

/** Refuses a flag the subcommand does not take (argparse's per-subcommand options). */
export function checkSubcommandFlags(
  tool: string,
  command: string,
  allowed: Record<string, readonly string[]>,
  given: Record<string, unknown>,
): void {
  const own = allowed[command]
  if (!own) throw new UsageError(`Unknown ${tool} command "${command}".`, { code: 'BAD_FLAGS' })
  const everyOption = new Set(Object.values(allowed).flat())
  const bad = Object.keys(given).find(
    (flag) => given[flag] !== undefined && given[flag] !== false && everyOption.has(flag) && !own.includes(flag),
  )
  if (bad) throw new UsageError(`--${bad} is not an option of \`${tool} ${command}\`.`, { code: 'BAD_FLAGS' })
}

export const QUORUM_FLAGS = {
  describe: ['status', 'replication', 'human-readable'],
  'add-controller': ['dry-run'],
  'remove-controller': ['controller-id', 'controller-directory-id', 'dry-run', 'unregister'],
} as const

/** MetadataQuorumCommand's describe rules (its TerseExceptions). */
export function quorumDescribeView(flags: {
  status?: boolean
  replication?: boolean
  'human-readable'?: boolean
}): 'status' | 'replication' {
  if (flags.status && flags.replication)
    throw new UsageError('Only one of --status or --replication should be specified with describe sub-command', {
      code: 'BAD_FLAGS',
    })
  if (flags.replication) return 'replication'
  if (!flags.status)
    throw new UsageError('One of --status or --replication must be specified with describe sub-command', {
      code: 'BAD_FLAGS',
    })
  if (flags['human-readable'])
    throw new UsageError('The option --human-readable is only supported along with --replication', {
      code: 'BAD_FLAGS',
    })
  return 'status'
}

export const FEATURE_FLAGS = {
  describe: ['node-id'],
  upgrade: ['metadata', 'release-version', 'feature', 'dry-run'],
  downgrade: ['metadata', 'release-version', 'feature', 'unsafe', 'dry-run'],
  disable: ['feature', 'unsafe', 'dry-run'],
  'version-mapping': ['release-version'],
  'feature-dependencies': ['feature'],
} as const

export const CLUSTER_FLAGS = {
  'cluster-id': [],
  'list-endpoints': ['include-fenced-brokers'],
  'api-versions': [],
  unregister: ['id'],
  'unregister-controller': ['id'],
} as const
