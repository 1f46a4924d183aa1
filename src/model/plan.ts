import { randomUUID } from 'node:crypto'
import { join } from 'node:path'
import { UsageError } from '../errors.js'

export type StackMode = 'kraft' | 'zookeeper'
type NodeRole = 'zookeeper' | 'controller' | 'broker' | 'combined'

/**
 * Maximum heap of a Kafka process unless `up --heap` says otherwise. Kafka's scripts default to 1 GB per process;
 * three brokers plus a controller would take 4 GB of a laptop, and local stacks hold little data.
 */
export const DEFAULT_HEAP = '512m'

/** One process of a stack, as planned (ports, paths); runtime facts like the pid live in the state file. */
export interface NodePlan {
  /** Stable process name used by `logs`, `status` and the state file: zookeeper, kafka-1, controller-1, broker-2. */
  name: string
  role: NodeRole
  /** broker.id / node.id; 0 for ZooKeeper. */
  nodeId: number
  /** The port clients connect to (Kafka protocol, or ZooKeeper's client port). */
  port: number
  /** KRaft controller listener port, for controller and combined nodes. */
  controllerPort?: number
  configFile: string
  dataDir: string
  logFile: string
}

interface StackShape {
  mode: StackMode
  brokers: number
  /** Dedicated KRaft controllers; 0 means one combined broker+controller node (single-broker default). */
  controllers: number
  /** First broker's client port; broker i listens on port + i - 1. */
  port: number
  /** First controller's port (KRaft). */
  controllerPort: number
  zookeeperPort: number
}

export interface StackPlan extends StackShape {
  stack: string
  dir: string
  nodes: NodePlan[]
  bootstrapServers: string
}

export const MAX_BROKERS = 5
const DEFAULT_PORT = 9092
const DEFAULT_ZOOKEEPER_PORT = 2181
/** Controllers sit 1000 above the client ports so several brokers' client ports never collide with them. */
const CONTROLLER_PORT_OFFSET = 1000
/** Dedicated controllers get node ids from 100 so broker ids stay 1..N, matching `broker stop N`. */
const CONTROLLER_ID_BASE = 100

export interface ShapeRequest {
  mode: StackMode
  brokers?: number
  controllers?: number
  port?: number
  controllerPort?: number
  zookeeperPort?: number
}

export function resolveShape(request: ShapeRequest): StackShape {
  const brokers = request.brokers ?? 1
  if (!Number.isInteger(brokers) || brokers < 1 || brokers > MAX_BROKERS) {
    throw new UsageError(`--brokers must be between 1 and ${MAX_BROKERS}, got ${brokers}.`)
  }
  const port = request.port ?? DEFAULT_PORT
  validatePort(port, '--port')
  let controllers = request.controllers ?? (brokers === 1 ? 0 : 1)
  if (request.mode === 'zookeeper') {
    if (request.controllers)
      throw new UsageError('--controllers is a KRaft setting; ZooKeeper mode has no controllers.')
    controllers = 0
  }
  if (!Number.isInteger(controllers) || controllers < 0 || controllers > 3 || controllers === 2) {
    throw new UsageError(`--controllers must be 0 (combined), 1 or 3, got ${controllers}.`)
  }
  if (request.mode === 'kraft' && controllers === 0 && brokers > 1) {
    throw new UsageError('A multi-broker KRaft stack needs dedicated controllers: use --controllers 1 or 3.')
  }
  const controllerPort = request.controllerPort ?? port + CONTROLLER_PORT_OFFSET
  validatePort(controllerPort, '--controller-port')
  const zookeeperPort = request.zookeeperPort ?? DEFAULT_ZOOKEEPER_PORT
  validatePort(zookeeperPort, '--zookeeper-port')
  return { mode: request.mode, brokers, controllers, port, controllerPort, zookeeperPort }
}

function validatePort(port: number, flag: string): void {
  if (!Number.isInteger(port) || port < 1 || port > 65_535)
    throw new UsageError(`${flag} must be a TCP port (1-65535), got ${port}.`)
}

/** Lays out every process of a stack: names, ids, ports and files. Pure, so tests can check every shape. */
export function planStack(stack: string, dir: string, shape: StackShape): StackPlan {
  const nodes: NodePlan[] = []
  const files = (name: string) => ({
    configFile: join(dir, 'config', `${name}.properties`),
    dataDir: join(dir, 'data', name),
    logFile: join(dir, 'logs', `${name}.log`),
  })
  if (shape.mode === 'zookeeper') {
    nodes.push({ name: 'zookeeper', role: 'zookeeper', nodeId: 0, port: shape.zookeeperPort, ...files('zookeeper') })
  } else if (shape.controllers === 0) {
    nodes.push({
      name: 'kafka-1',
      role: 'combined',
      nodeId: 1,
      port: shape.port,
      controllerPort: shape.controllerPort,
      ...files('kafka-1'),
    })
  } else {
    for (let i = 0; i < shape.controllers; i++) {
      const name = `controller-${i + 1}`
      nodes.push({
        name,
        role: 'controller',
        nodeId: CONTROLLER_ID_BASE + i + 1,
        port: shape.controllerPort + i,
        controllerPort: shape.controllerPort + i,
        ...files(name),
      })
    }
  }
  if (!(shape.mode === 'kraft' && shape.controllers === 0)) {
    for (let i = 1; i <= shape.brokers; i++) {
      const name = `broker-${i}`
      nodes.push({ name, role: 'broker', nodeId: i, port: shape.port + i - 1, ...files(name) })
    }
  }
  const bootstrapServers = nodes
    .filter((n) => n.role === 'broker' || n.role === 'combined')
    .map((n) => `127.0.0.1:${n.port}`)
    .join(',')
  return { ...shape, stack, dir, nodes, bootstrapServers }
}

export function brokerNodes(plan: Pick<StackPlan, 'nodes'>): NodePlan[] {
  return plan.nodes.filter((n) => n.role === 'broker' || n.role === 'combined')
}

/** Every port a stack binds, with the role to name when one is taken. */
export function stackPorts(plan: Pick<StackPlan, 'nodes'>): Array<{ port: number; role: string; node: string }> {
  const ports: Array<{ port: number; role: string; node: string }> = []
  for (const node of plan.nodes) {
    if (node.role === 'zookeeper') ports.push({ port: node.port, role: 'ZooKeeper client port', node: node.name })
    if (node.role === 'broker' || node.role === 'combined')
      ports.push({ port: node.port, role: `Kafka listener of ${node.name}`, node: node.name })
    if (node.controllerPort !== undefined)
      ports.push({ port: node.controllerPort, role: `KRaft controller listener of ${node.name}`, node: node.name })
  }
  return ports
}

/**
 * Kafka's cluster ids are a random UUID in URL-safe base64 without padding (what `kafka-storage random-uuid` prints).
 * Like Kafka's Uuid.randomUuid, never one starting with '-': kafka-storage's argument parser would take it for a flag.
 */
export function newClusterId(): string {
  for (;;) {
    const id = Buffer.from(randomUUID().replace(/-/g, ''), 'hex').toString('base64url')
    if (!id.startsWith('-')) return id
  }
}
