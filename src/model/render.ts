import { readFileSync } from 'node:fs'
import { templatePath } from '../paths.js'
import { brokerNodes, type NodePlan, type StackPlan } from './plan.js'

/** Fills `{{name}}` placeholders; an unknown placeholder is a bug in kafkit, so it throws. */
export function fillTemplate(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{\{(\w+)\}\}/g, (_, key: string) => {
    if (!(key in values)) throw new Error(`Template placeholder {{${key}}} has no value`)
    return String(values[key])
  })
}

/** Replication factor for internal topics: 3 when there are 3+ brokers (Kafka's default), else all of them. */
export function internalReplication(brokers: number): { rf: number; minIsr: number } {
  const rf = Math.min(3, brokers)
  return { rf, minIsr: Math.max(1, rf - 1) }
}

export function quorumVoters(plan: StackPlan): string {
  return plan.nodes
    .filter((n) => n.role === 'controller' || n.role === 'combined')
    .map((n) => `${n.nodeId}@127.0.0.1:${n.controllerPort}`)
    .join(',')
}

/**
 * The properties file for one process. `overrides` (from `up --override`, the stack's overrides.properties)
 * come last: Kafka's config parser keeps the last value of a repeated key.
 */
export function renderNodeConfig(
  plan: StackPlan,
  node: NodePlan,
  overrides: Record<string, string> = {},
  readTemplate = defaultReadTemplate,
): string {
  const { rf, minIsr } = internalReplication(brokerNodes(plan).length)
  const common = {
    stack: plan.stack,
    stack_dir: plan.dir,
    role: node.role,
    node_id: node.nodeId,
    data_dir: node.dataDir,
    zookeeper_port: plan.zookeeperPort,
    internal_rf: rf,
    internal_min_isr: minIsr,
  }
  let text: string
  if (node.role === 'zookeeper') {
    text = fillTemplate(readTemplate('zookeeper.properties'), common)
  } else if (plan.mode === 'zookeeper') {
    text = fillTemplate(readTemplate('zookeeper-broker.properties'), {
      ...common,
      listeners: `PLAINTEXT://127.0.0.1:${node.port}`,
      advertised_listeners: `advertised.listeners=PLAINTEXT://127.0.0.1:${node.port}`,
    })
  } else {
    const listeners: string[] = []
    if (node.role !== 'controller') listeners.push(`PLAINTEXT://127.0.0.1:${node.port}`)
    if (node.controllerPort !== undefined) listeners.push(`CONTROLLER://127.0.0.1:${node.controllerPort}`)
    text = fillTemplate(readTemplate('kraft.properties'), {
      ...common,
      process_roles: node.role === 'combined' ? 'broker,controller' : node.role,
      quorum_voters: quorumVoters(plan),
      listeners: listeners.join(','),
      // A pure controller advertises nothing to clients and has no inter-broker listener.
      advertised_listeners: node.role === 'controller' ? '' : `advertised.listeners=PLAINTEXT://127.0.0.1:${node.port}`,
      inter_broker_listener: node.role === 'controller' ? '' : 'inter.broker.listener.name=PLAINTEXT',
    })
  }
  const extra = Object.entries(overrides)
  if (extra.length > 0 && node.role !== 'zookeeper') {
    text += `\n# Overrides (kafkit up --override / overrides.properties)\n${extra.map(([k, v]) => `${k}=${v}`).join('\n')}\n`
  }
  return text.replace(/\n{3,}/g, '\n\n')
}

function defaultReadTemplate(name: string): string {
  return readFileSync(templatePath(name), 'utf8')
}
