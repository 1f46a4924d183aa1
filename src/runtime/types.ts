import type { Reporter } from '../output/reporter.js'
import type { StackMode } from '../model/plan.js'
import type { NodeState, ResolvedKafka, RuntimeName, RuntimeOptions, StackState } from '../model/state.js'

export type { ResolvedKafka, RuntimeName, RuntimeOptions }

export type RuntimeChoice = RuntimeName | 'auto'

/** Whether a runtime can be used on this machine, and if not, why and how to fix it. */
export interface RuntimeDetection {
  runtime: RuntimeName
  usable: boolean
  reason: string
  fix?: string
  /** What it found, e.g. "Apache Kafka 4.4.0 at ~/.local/state/kafkit/kafka/4.4.0". */
  found?: string
}

export interface ResolveRequest {
  version?: string
  mode: StackMode
  /** May the runtime install what is missing (the default for `up`)? */
  install: boolean
  options?: RuntimeOptions
}

export interface ProcessStatus {
  alive: boolean
  pid?: number
}

/** Facts a runtime adds to `up` and `status` (the image, the in-network bootstrap address...), keyed in camelCase. */
export type RuntimeDetails = Record<string, string>

/**
 * One launcher of Kafka processes. The stack logic (plans, ports, readiness, state) is written once above
 * this interface; an implementation only knows how to find Kafka and run, stop and inspect one process.
 */
export interface Runtime {
  readonly name: RuntimeName
  detect(): Promise<RuntimeDetection>
  resolve(request: ResolveRequest, reporter: Reporter): Promise<ResolvedKafka>
  /** Checks run once before starting processes (Java present and new enough). */
  preflight(stack: StackState): Promise<void>
  /** Work needed before a node's first start (KRaft: format the storage with the cluster id). */
  prepare(stack: StackState, node: NodeState, reporter: Reporter): Promise<void>
  /** Starts the process detached and returns its pid; it keeps running after kafkit exits. */
  start(stack: StackState, node: NodeState): Promise<{ pid: number }>
  stop(stack: StackState, node: NodeState, timeoutMs: number): Promise<'stopped' | 'killed' | 'not-running'>
  status(stack: StackState, node: NodeState): Promise<ProcessStatus>
  /**
   * Where the process logs, for messages: the file a local runtime writes, or how to read it for runtimes that keep
   * logs themselves (`docker logs <container>`).
   */
  logFile(stack: StackState, node: NodeState): string

  // Optional hooks: the stack logic falls back to what the JVM runtimes need (nothing, or the log file).

  /** RuntimeOptions this runtime understands; `up` refuses the others before anything starts. Default: none. */
  readonly supportedOptions?: ReadonlyArray<keyof RuntimeOptions>
  /**
   * Once per start, after the configs are written and before any node starts, with the merged broker overrides
   * (Docker: render the Compose project, check the network, pull missing images with progress).
   */
  prepareStack?(stack: StackState, overrides: Record<string, string>, reporter: Reporter): Promise<void>
  /** The last `count` lines of a process's log. Default: the tail of logFile(). */
  readLog?(stack: StackState, node: NodeState, count: number): Promise<string[]>
  /** Streams what the process logs from now on until the signal aborts. Default: follows logFile(). */
  followLog?(stack: StackState, node: NodeState, onText: (text: string) => void, signal: AbortSignal): Promise<void>
  /**
   * Called by `purge` once every node is stopped, before the stack directory is deleted: removes what the runtime
   * keeps elsewhere (Docker: containers, network, named volumes). Returns what it removed, for the result.
   */
  removeStack?(stack: StackState, reporter: Reporter): Promise<string[]>
  /** Extra facts shown by `up` and `status`. */
  details?(stack: StackState): RuntimeDetails
}
