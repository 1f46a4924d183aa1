import type { Reporter } from '../output/reporter.js'
import type { StackMode } from '../stack/plan.js'
import type { NodeState, StackState } from '../stack/state.js'

export type RuntimeName = 'dist' | 'homebrew' | 'docker' | 'embedded'
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

/** The Kafka a runtime will run for a stack. */
export interface ResolvedKafka {
  version: string
  /** Where the jars are (a distribution home); empty for runtimes without one. */
  home: string
  description: string
}

export interface ResolveRequest {
  version?: string
  mode: StackMode
  /** May the runtime install what is missing (the default for `up`)? */
  install: boolean
}

export interface ProcessStatus {
  alive: boolean
  pid?: number
}

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
  /** The file the process logs to (every local runtime writes one per process). */
  logFile(stack: StackState, node: NodeState): string
}
