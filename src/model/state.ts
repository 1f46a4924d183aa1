import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { KafkitError } from '../errors.js'
import { kafkitCommand } from '../output/commands.js'
import { stackDir, stacksDir } from '../paths.js'
import type { NodePlan, StackPlan } from './plan.js'

/** Which launcher runs a stack's processes (src/runtime/ has one implementation each). */
export type RuntimeName = 'dist' | 'homebrew' | 'docker' | 'embedded'

/** The Kafka a runtime will run for a stack. */
export interface ResolvedKafka {
  version: string
  /** Where the jars are (a distribution home); empty for runtimes without one. */
  home: string
  description: string
  /** Container images, for runtimes that run containers (ZooKeeper mode has a second image). */
  images?: { kafka: string; zookeeper?: string }
}

/** Launcher-specific choices made at a stack's creation and kept in its state (each runtime declares which it reads). */
export interface RuntimeOptions {
  /** `up --image`: the container image of the Kafka nodes. */
  image?: string
  /** `up --network`: an existing container network to join. */
  network?: string
}

/** The services `up --with` starts beside Kafka (a local platform: Kafka Connect, a Schema Registry). */
export type ServiceName = 'connect' | 'schema-registry'

/** One service of a stack, as kept in state.json: where it listens and the process that runs it. */
export interface ServiceState {
  name: ServiceName
  /** Its REST port on 127.0.0.1. */
  port: number
  /** What runs it, e.g. "Apicurio Registry 3.0.9" or "Kafka Connect 4.4.0 (distributed)". */
  description?: string
  /** The version it runs, fixed at its first start (the registry's follows the Java found: 3.3.3 on 21+, 3.0.9 on 17). */
  version?: string
  pid?: number
  /** ISO time the process was started by kafkit. */
  startedAt?: string
}

export interface NodeState extends NodePlan {
  pid?: number
  /** ISO time the process was started by kafkit. */
  startedAt?: string
}

/** Everything kafkit knows about a stack between commands; written to `<stack dir>/state.json`. */
export interface StackState extends Omit<StackPlan, 'nodes'> {
  runtime: RuntimeName
  kafka: ResolvedKafka
  /** `up --image` / `--network`, kept so every later start renders the same stack. */
  runtimeOptions?: RuntimeOptions
  /** KRaft cluster id generated at first start (ZooKeeper mode: learned from the brokers). */
  clusterId?: string
  /** Maximum heap per Kafka process, e.g. "512m". */
  heap: string
  overrides: Record<string, string>
  createdAt: string
  /** Topics seen at the last `down`; the next `up` waits until they have leaders again. */
  knownTopics?: string[]
  nodes: NodeState[]
  /** Services started beside the brokers (`up --with connect,schema-registry`); absent = none. */
  services?: ServiceState[]
}

const STATE_FILE = 'state.json'

export function statePath(stack: string): string {
  return join(stackDir(stack), STATE_FILE)
}

export function loadState(stack: string): StackState | undefined {
  const path = statePath(stack)
  if (!existsSync(path)) return undefined
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as StackState
  } catch (error) {
    throw new KafkitError(`The state file of stack "${stack}" is unreadable: ${path}`, {
      code: 'STATE_CORRUPT',
      cause: error,
      suggestions: [`${kafkitCommand('purge --force', { stack })} deletes the stack and starts over.`],
    })
  }
}

/** Atomic write (temp file + rename) so a crash never leaves half a state file. */
export function saveState(state: StackState): void {
  const path = statePath(state.stack)
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 })
  const tmp = `${path}.${process.pid}.tmp`
  writeFileSync(tmp, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 })
  renameSync(tmp, path)
}

export function listStacks(): string[] {
  const dir = stacksDir()
  if (!existsSync(dir)) return []
  return readdirSync(dir)
    .filter((name) => existsSync(join(dir, name, STATE_FILE)))
    .sort()
}
