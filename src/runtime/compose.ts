import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { UsageError } from '../errors.js'
import { templatePath } from '../paths.js'
import { brokerNodes, type NodePlan, type StackMode } from '../model/plan.js'
import { fillTemplate, internalReplication } from '../model/render.js'
import { parseProperties } from '../util/properties.js'
import { SERVICE_IMAGES } from './images.js'

/**
 * The Compose project of a docker stack, rendered from templates/docker/ (the Kafka settings of each kind of node)
 * into a typed object, then into YAML. Pure: every shape is unit-tested and schema-validated without an engine.
 *
 * Networking: every Kafka container has two listeners. INTERNAL (port 19092 in the container) is for inter-broker
 * traffic and for other containers, advertised under the container's name; HOST (port 9092) is published on
 * 127.0.0.1 only, at the stack's planned port, and advertised as localhost:<that port> so clients on the host
 * reach each broker directly. KRaft controllers talk on CONTROLLER (9093) inside the network.
 */
export const CONTAINER_PORTS = { host: 9092, internal: 19092, controller: 9093, zookeeper: 2181 } as const
/** Clients on the host connect here; the published ports are bound to this address only. */
const PUBLISH_ADDRESS = '127.0.0.1'
export const ADVERTISED_HOST = 'localhost'
/** Where both apache/kafka and cp-kafka keep data: the images create it owned by their user, so a fresh named volume inherits that. */
const KAFKA_DATA_PATH = '/var/lib/kafka/data'
const ZOOKEEPER_DATA_PATH = '/var/lib/zookeeper/data'
const ZOOKEEPER_LOG_PATH = '/var/lib/zookeeper/log'
const LABEL_PREFIX = 'dev.kafkit'

/** Keys in the order Compose linters expect (dclint's service-keys-order), so the YAML reads conventionally. */
export interface ComposeService {
  image: string
  container_name: string
  depends_on?: string[]
  volumes: string[]
  environment: Record<string, string>
  ports: string[]
  networks?: string[]
  command?: string[]
  labels: Record<string, string>
  /** Only the registry: a fresh named volume is root's, and Apicurio's image runs as an unprivileged user. */
  user?: string
  stop_grace_period: string
}

interface ComposeProject {
  services: Record<string, ComposeService>
  networks?: Record<string, { external: true }>
  volumes: Record<string, { name: string; labels: Record<string, string> }>
}

interface ComposeInput {
  stack: string
  /** The stack directory (named in the header comment). */
  dir: string
  mode: StackMode
  nodes: NodePlan[]
  clusterId?: string
  images: { kafka: string; zookeeper?: string }
  /** Maximum heap per Kafka container. */
  heap: string
  /** Broker settings from `up --override` and overrides.properties; they win over kafkit's. */
  overrides?: Record<string, string>
  /** An existing Docker network to join instead of the project's own. */
  network?: string
  /** `up --with`: Connect and the registry beside the brokers, published on 127.0.0.1 at their ports. */
  services?: Array<{ name: 'connect' | 'schema-registry'; port: number }>
  /** The stack's Kafka version (Connect runs apache/kafka at it). */
  kafkaVersion?: string
}

/** Where the Connect container finds what kafkit renders into `<stack dir>/connect/` (bind-mounted read-only). */
export const CONNECT_CONTAINER = {
  config: '/opt/kafkit/connect-distributed.properties',
  plugins: '/opt/kafkit/plugins',
  port: 8083,
} as const
const REGISTRY_CONTAINER = { port: 8080, data: '/var/lib/kafkit-registry' } as const

export interface RenderedCompose {
  project: string
  compose: ComposeProject
  /** The compose.yml text. */
  yaml: string
  /** The .env beside it (names the project for hand-run `docker compose`). */
  env: string
}

/**
 * Compose project names must be lowercase letters, digits, '-' and '_'; stack names may also hold upper case
 * and '.', so those are folded, with a short hash whenever folding changed the name (Foo and foo stay apart).
 */
export function composeProjectName(stack: string): string {
  const folded = stack.toLowerCase().replace(/[^a-z0-9_-]/g, '-')
  const suffix = folded === stack ? '' : `-${createHash('sha256').update(stack).digest('hex').slice(0, 6)}`
  return `kafkit-${folded}${suffix}`
}

/** Explicit container names: stable across Compose v1 (`_1`) and v2 (`-1`) naming, and unique DNS names on a shared network. */
export function containerName(project: string, node: string): string {
  return `${project}-${node}`
}

/** The in-network bootstrap address (for other containers on the stack's or the --network network). */
export function networkBootstrapServers(project: string, nodes: NodePlan[]): string {
  return brokerNodes({ nodes })
    .map((n) => `${containerName(project, n.name)}:${CONTAINER_PORTS.internal}`)
    .join(',')
}

/**
 * A property name as a KAFKA_* variable, the rule apache/kafka and cp-kafka apply in reverse:
 * '_' → '__', '-' → '___', '.' → '_', upper case (log.dirs → KAFKA_LOG_DIRS).
 */
export function kafkaEnvName(property: string): string {
  return `KAFKA_${property.replace(/_/g, '__').replace(/-/g, '___').replace(/\./g, '_').toUpperCase()}`
}

/** Variables the images' start scripts read themselves; a property must never map onto one of them. */
const RESERVED_KAFKA_ENV = new Set([
  'KAFKA_VERSION',
  'KAFKA_HEAP_OPTS',
  'KAFKA_LOG4J_OPTS',
  'KAFKA_OPTS',
  'KAFKA_JMX_OPTS',
  'KAFKA_JVM_PERFORMANCE_OPTS',
  'KAFKA_GC_LOG_OPTS',
  'KAFKA_LOG4J_ROOT_LOGLEVEL',
  'KAFKA_LOG4J_LOGGERS',
  'KAFKA_TOOLS_LOG4J_LOGLEVEL',
  'KAFKA_JMX_HOSTNAME',
])

/** cp-zookeeper's convention: ZOOKEEPER_ + the camelCase words upper-cased (clientPort → ZOOKEEPER_CLIENT_PORT). */
export function zookeeperEnvName(property: string): string {
  return `ZOOKEEPER_${property
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/\./g, '_')
    .toUpperCase()}`
}

/** Compose interpolates `$VAR` in values; a literal dollar (in a JAAS config, say) must be doubled. */
function escapeCompose(value: string): string {
  return value.replace(/\$/g, '$$$$')
}

function toEnvironment(props: Record<string, string>, name: (key: string) => string): Record<string, string> {
  const env: Record<string, string> = {}
  for (const [key, value] of Object.entries(props)) env[name(key)] = escapeCompose(value)
  return env
}

const defaultReadTemplate = (name: string) => readFileSync(templatePath(name), 'utf8')

export function renderCompose(
  input: ComposeInput,
  readTemplate: (name: string) => string = defaultReadTemplate,
): RenderedCompose {
  const project = composeProjectName(input.stack)
  const container = (node: NodePlan) => containerName(project, node.name)
  const { rf, minIsr } = internalReplication(brokerNodes(input).length)
  const voters = input.nodes
    .filter((n) => n.role === 'controller' || n.role === 'combined')
    .map((n) => `${n.nodeId}@${container(n)}:${CONTAINER_PORTS.controller}`)
    .join(',')
  const zookeeper = input.nodes.find((n) => n.role === 'zookeeper')
  const controllers = input.nodes.filter((n) => n.role === 'controller').map((n) => n.name)
  const labels = (node: string) => ({ [`${LABEL_PREFIX}.stack`]: input.stack, [`${LABEL_PREFIX}.node`]: node })
  const kafkaHeap = `-Xms128m -Xmx${input.heap}`
  const overrides = input.overrides ?? {}
  for (const key of Object.keys(overrides)) {
    if (RESERVED_KAFKA_ENV.has(kafkaEnvName(key)))
      throw new UsageError(
        `Override ${key} cannot be passed to a container: it maps onto the image's own ${kafkaEnvName(key)}.`,
        { code: 'BAD_OVERRIDE' },
      )
  }

  const services: Record<string, ComposeService> = {}
  const volumes: ComposeProject['volumes'] = {}
  const volume = (node: string, suffix: string, path: string) => {
    const key = `${node}-${suffix}`
    volumes[key] = { name: `${project}_${key}`, labels: labels(node) }
    return `${key}:${path}`
  }
  const publish = (hostPort: number, containerPort: number) => `${PUBLISH_ADDRESS}:${hostPort}:${containerPort}`

  for (const node of input.nodes) {
    const common = {
      stack: input.stack,
      role: node.role,
      node_id: node.nodeId,
      internal_rf: rf,
      internal_min_isr: minIsr,
      data_dir: KAFKA_DATA_PATH,
    }
    let service: ComposeService
    if (node.role === 'zookeeper') {
      const props = parseProperties(
        fillTemplate(readTemplate('docker/zookeeper.properties'), {
          stack: input.stack,
          client_port: CONTAINER_PORTS.zookeeper,
        }),
      )
      service = {
        image: input.images.zookeeper ?? input.images.kafka,
        container_name: container(node),
        volumes: [volume(node.name, 'data', ZOOKEEPER_DATA_PATH), volume(node.name, 'log', ZOOKEEPER_LOG_PATH)],
        environment: { ...toEnvironment(props, zookeeperEnvName), KAFKA_HEAP_OPTS: '-Xms64m -Xmx256m' },
        ports: [publish(node.port, CONTAINER_PORTS.zookeeper)],
        ...(input.network ? { networks: [input.network] } : {}),
        labels: labels(node.name),
        stop_grace_period: '30s',
      }
    } else {
      let props: Record<string, string>
      const isBroker = node.role !== 'controller'
      const listeners = [
        ...(isBroker
          ? [`INTERNAL://0.0.0.0:${CONTAINER_PORTS.internal}`, `HOST://0.0.0.0:${CONTAINER_PORTS.host}`]
          : []),
        ...(node.controllerPort !== undefined ? [`CONTROLLER://0.0.0.0:${CONTAINER_PORTS.controller}`] : []),
      ].join(',')
      const advertised = `INTERNAL://${container(node)}:${CONTAINER_PORTS.internal},HOST://${ADVERTISED_HOST}:${node.port}`
      if (input.mode === 'zookeeper') {
        props = parseProperties(
          fillTemplate(readTemplate('docker/zookeeper-broker.properties'), {
            ...common,
            listeners,
            advertised,
            zookeeper_connect: `${container(zookeeper!)}:${CONTAINER_PORTS.zookeeper}`,
          }),
        )
      } else {
        props = parseProperties(
          fillTemplate(readTemplate('docker/kraft.properties'), {
            ...common,
            process_roles: node.role === 'combined' ? 'broker,controller' : node.role,
            quorum_voters: voters,
            listeners,
            // A pure controller advertises nothing to clients (the images refuse KAFKA_ADVERTISED_LISTENERS on one).
            advertised_listeners: isBroker ? `advertised.listeners=${advertised}` : '',
            inter_broker_listener: isBroker ? 'inter.broker.listener.name=INTERNAL' : '',
          }),
        )
      }
      // Overrides are broker settings (like the JVM runtimes, which append them to broker configs only).
      if (isBroker) props = { ...props, ...overrides }
      const ports = [
        ...(isBroker ? [publish(node.port, CONTAINER_PORTS.host)] : []),
        ...(node.controllerPort !== undefined ? [publish(node.controllerPort, CONTAINER_PORTS.controller)] : []),
      ]
      const dependsOn = input.mode === 'zookeeper' ? [zookeeper!.name] : node.role === 'broker' ? controllers : []
      service = {
        image: input.images.kafka,
        container_name: container(node),
        ...(dependsOn.length > 0 ? { depends_on: dependsOn } : {}),
        volumes: [volume(node.name, 'data', KAFKA_DATA_PATH)],
        environment: {
          ...(input.mode === 'kraft' && input.clusterId ? { CLUSTER_ID: input.clusterId } : {}),
          ...toEnvironment(props, kafkaEnvName),
          KAFKA_HEAP_OPTS: kafkaHeap,
        },
        ports,
        ...(input.network ? { networks: [input.network] } : {}),
        labels: labels(node.name),
        stop_grace_period: '30s',
      }
    }
    services[node.name] = service
  }
  for (const extra of input.services ?? []) {
    const common = {
      container_name: containerName(project, extra.name),
      depends_on: brokerNodes(input).map((n) => n.name),
    }
    if (extra.name === 'connect') {
      services.connect = {
        image: SERVICE_IMAGES.connect(input.kafkaVersion ?? '?'),
        ...common,
        volumes: [
          `${join(input.dir, 'connect', 'connect-distributed.properties')}:${CONNECT_CONTAINER.config}:ro`,
          `${join(input.dir, 'connect', 'plugins')}:${CONNECT_CONTAINER.plugins}:ro`,
        ],
        environment: { KAFKA_HEAP_OPTS: '-Xms128m -Xmx256m' },
        ports: [publish(extra.port, CONNECT_CONTAINER.port)],
        ...(input.network ? { networks: [input.network] } : {}),
        command: ['/opt/kafka/bin/connect-distributed.sh', CONNECT_CONTAINER.config],
        labels: labels(extra.name),
        stop_grace_period: '30s',
      }
    } else {
      services[extra.name] = {
        image: SERVICE_IMAGES['schema-registry'],
        ...common,
        volumes: [volume(extra.name, 'data', REGISTRY_CONTAINER.data)],
        environment: {
          APICURIO_DATASOURCE_URL: `jdbc:h2:file:${REGISTRY_CONTAINER.data}/registry`,
          JAVA_OPTS_APPEND: '-Xms64m -Xmx256m',
        },
        ports: [publish(extra.port, REGISTRY_CONTAINER.port)],
        ...(input.network ? { networks: [input.network] } : {}),
        labels: labels(extra.name),
        user: '0',
        stop_grace_period: '30s',
      }
    }
  }
  const compose: ComposeProject = {
    services,
    ...(input.network ? { networks: { [input.network]: { external: true as const } } } : {}),
    volumes,
  }
  const shape =
    input.mode === 'zookeeper'
      ? `ZooKeeper + ${brokerNodes(input).length} broker(s)`
      : controllers.length === 0
        ? 'KRaft, 1 combined node'
        : `KRaft, ${controllers.length} controller(s) + ${brokerNodes(input).length} broker(s)`
  const header = fillTemplate(readTemplate('docker/compose-header.yml'), {
    stack: input.stack,
    shape,
    stack_dir: input.dir,
    project,
  })
  return {
    project,
    compose,
    yaml: `${header}${toYaml(compose as unknown as Yaml)}`,
    env: `COMPOSE_PROJECT_NAME=${project}\n`,
  }
}

type Yaml = string | number | boolean | Yaml[] | { [key: string]: Yaml | undefined }

/**
 * A small block-style YAML writer for the compose object: every string is double-quoted (JSON string syntax is
 * valid YAML), so no value is ever read back as a number, a boolean or a base-60 port ("9092:9092").
 */
export function toYaml(value: Yaml, indent = 0): string {
  const pad = ' '.repeat(indent)
  if (Array.isArray(value)) {
    if (value.length === 0) return `${pad}[]\n`
    return value
      .map((item) => (isScalar(item) ? `${pad}- ${scalar(item)}\n` : `${pad}-\n${toYaml(item, indent + 2)}`))
      .join('')
  }
  if (typeof value === 'object') {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined) as Array<[string, Yaml]>
    if (entries.length === 0) return `${pad}{}\n`
    return entries
      .map(([key, item]) => {
        const k = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/.test(key) ? key : JSON.stringify(key)
        if (isScalar(item)) return `${pad}${k}: ${scalar(item)}\n`
        if (Array.isArray(item) && item.length === 0) return `${pad}${k}: []\n`
        if (!Array.isArray(item) && Object.keys(item).length === 0) return `${pad}${k}: {}\n`
        return `${pad}${k}:\n${toYaml(item, indent + 2)}`
      })
      .join('')
  }
  return `${pad}${scalar(value)}\n`
}

function isScalar(value: Yaml): value is string | number | boolean {
  return typeof value !== 'object'
}

function scalar(value: string | number | boolean): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value)
}
