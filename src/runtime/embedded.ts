/**
 * The embedded runtime: kafkit's own single-node broker (src/embedded/, bundled to dist/embedded.js) run by the Node
 * that runs kafkit, as a detached process with its data and log in the stack's directory. Nothing to install and no
 * JVM to warm up, so it is the last choice of `auto` and the one that works on a machine with only Node.
 */
import { existsSync, mkdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { KafkitError, UsageError } from '../errors.js'
import { isOurProcess, terminate } from '../model/processes.js'
import type { NodeState, StackState } from '../model/state.js'
import { DEFAULT_KAFKA_VERSION } from '../model/versions.js'
import { packageRoot } from '../paths.js'
import { startDetached } from '../util/child.js'
import type { ProcessStatus, ResolveRequest, ResolvedKafka, Runtime, RuntimeDetection } from './types.js'

/** The Kafka release whose protocol (the generated codec) the embedded broker speaks. */
const PROTOCOL_VERSION = DEFAULT_KAFKA_VERSION

export function embeddedEntry(): string {
  return join(packageRoot, 'dist', 'embedded.js')
}

/** The broker's command line; the node's config file is its marker for isOurProcess, as with the JVM runtimes. */
export function embeddedCommand(stack: StackState, node: NodeState, entry = embeddedEntry()): string[] {
  return [
    entry,
    '--config',
    node.configFile,
    '--host',
    '127.0.0.1',
    '--port',
    String(node.port),
    '--node-id',
    String(node.nodeId),
    '--data-dir',
    node.dataDir,
    ...(stack.clusterId ? ['--cluster-id', stack.clusterId] : []),
  ]
}

export class EmbeddedRuntime implements Runtime {
  readonly name = 'embedded' as const

  async detect(): Promise<RuntimeDetection> {
    if (!existsSync(embeddedEntry()))
      return {
        runtime: this.name,
        usable: false,
        reason: `the embedded broker is not built (${embeddedEntry()} is missing)`,
        fix: 'npm run build',
      }
    return {
      runtime: this.name,
      usable: true,
      reason: `Node ${process.versions.node}: kafkit's embedded broker (Kafka ${PROTOCOL_VERSION} protocol, one node, no Java)`,
      found: embeddedEntry(),
    }
  }

  async resolve(request: ResolveRequest): Promise<ResolvedKafka> {
    if (request.mode === 'zookeeper')
      throw new UsageError('The embedded runtime runs KRaft only: it has no ZooKeeper mode.', {
        code: 'MODE_UNSUPPORTED',
        suggestions: ['Drop --mode zookeeper, or use --runtime dist or docker for a ZooKeeper stack.'],
      })
    if (request.version && request.version !== PROTOCOL_VERSION)
      throw new UsageError(
        `The embedded runtime speaks Kafka ${PROTOCOL_VERSION}'s protocol; --version ${request.version} needs a real Kafka.`,
        { code: 'BAD_VERSION', suggestions: [`Use --runtime dist or docker with --version ${request.version}.`] },
      )
    return {
      version: PROTOCOL_VERSION,
      home: '',
      description: `kafkit embedded broker (Kafka ${PROTOCOL_VERSION} protocol, single node)`,
    }
  }

  /** Refuses the stack shapes one in-process node cannot be: checked before anything is written or started. */
  async preflight(stack: StackState): Promise<void> {
    if (stack.brokers > 1 || stack.controllers > 0)
      throw new UsageError(
        `The embedded runtime runs a single combined node; ${stack.brokers > 1 ? `--brokers ${stack.brokers}` : `--controllers ${stack.controllers}`} needs a real Kafka.`,
        {
          code: 'SHAPE_UNSUPPORTED',
          suggestions: ['Drop --brokers/--controllers, or use --runtime dist or docker for a multi-broker stack.'],
        },
      )
    if (!existsSync(embeddedEntry()))
      throw new KafkitError(`The embedded broker is not built: ${embeddedEntry()} is missing.`, {
        code: 'RUNTIME_UNAVAILABLE',
        suggestions: ['npm run build'],
      })
  }

  async prepare(_stack: StackState, node: NodeState): Promise<void> {
    mkdirSync(node.dataDir, { recursive: true })
  }

  async start(stack: StackState, node: NodeState): Promise<{ pid: number }> {
    mkdirSync(dirname(node.logFile), { recursive: true })
    const args = embeddedCommand(stack, node)
    return {
      pid: await startDetached(process.execPath, args, { logFile: node.logFile, cwd: stack.dir, name: node.name }),
    }
  }

  async stop(_stack: StackState, node: NodeState, timeoutMs: number): Promise<'stopped' | 'killed' | 'not-running'> {
    if (!node.pid) return 'not-running'
    return terminate(node.pid, node.configFile, timeoutMs)
  }

  async status(_stack: StackState, node: NodeState): Promise<ProcessStatus> {
    return { alive: await isOurProcess(node.pid, node.configFile), pid: node.pid }
  }

  logFile(_stack: StackState, node: NodeState): string {
    return node.logFile
  }
}
