import type { RuntimeDetails, RuntimeDetection } from '../runtime/types.js'
import type { DownResult, NodeView, StatusAllResult, StatusResult, UpResult } from './service.js'
import type { ServiceView } from './services.js'
import { kafkitCommand } from '../output/commands.js'
import { colorsFor } from '../output/reporter.js'
import { formatDuration, renderTable } from '../output/table.js'

const color = () => colorsFor(process.stdout)

function renderNodes(nodes: NodeView[]): string {
  const c = color()
  return renderTable(
    ['PROCESS', 'ROLE', 'NODE', 'PID', 'PORT', 'STATUS', 'UPTIME'],
    nodes.map((n) => [
      n.name,
      n.role,
      n.role === 'zookeeper' ? '-' : n.nodeId,
      n.pid,
      n.controllerPort && n.role !== 'controller' ? `${n.port},${n.controllerPort}` : n.port,
      n.alive ? c.green('running') : c.red('stopped'),
      n.uptimeMs === null ? null : formatDuration(n.uptimeMs),
    ]),
  )
}

/** The services' rows (`up --with`): empty when the stack has none, so a plain stack's output is unchanged. */
export function renderServices(services: ServiceView[] | undefined): string[] {
  if (!services?.length) return []
  const c = color()
  return [
    '',
    renderTable(
      ['SERVICE', 'RUNS', 'PID', 'URL', 'STATUS', 'UPTIME'],
      services.map((s) => [
        s.name,
        s.description ?? '-',
        s.pid,
        s.url,
        s.alive ? c.green('running') : c.red('stopped'),
        s.uptimeMs === null ? null : formatDuration(s.uptimeMs),
      ]),
    ),
  ]
}

export function renderUp(result: UpResult): string {
  const c = color()
  const headline = result.alreadyRunning
    ? `Stack ${c.bold(result.stack)} is already running.`
    : `Stack ${c.bold(result.stack)} is ready in ${formatDuration(result.elapsedMs)}.`
  const shape =
    result.mode === 'kraft'
      ? result.controllers === 0
        ? 'KRaft, 1 combined node'
        : `KRaft, ${result.controllers} controller(s) + ${result.brokers} broker(s)`
      : `ZooKeeper + ${result.brokers} broker(s)`
  return [
    headline,
    '',
    `  Bootstrap servers  ${c.cyan(result.bootstrapServers)}`,
    `  Kafka              ${result.kafkaVersion} (${shape}, ${result.runtime} runtime)`,
    `  Cluster id         ${result.clusterId ?? '-'}`,
    ...renderDetails(result.details ?? {}, '  ', 19),
    '',
    renderNodes(result.nodes),
    ...renderServices(result.services),
    '',
    `Try: ${['status', 'logs -f', 'down'].map((command) => kafkitCommand(command, { stack: result.stack })).join(' · ')}`,
  ].join('\n')
}

/** Runtime facts as aligned lines: `networkBootstrapServers` is shown as "Network bootstrap servers". */
function renderDetails(details: RuntimeDetails, indent: string, width: number, separator = ' '): string[] {
  return Object.entries(details).map(([key, value]) => {
    const words = key.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase()
    const label = `${words[0]!.toUpperCase()}${words.slice(1)}${separator.trim()}`
    return `${indent}${label.padEnd(width - 1)} ${value}`
  })
}

export function renderStatus(status: StatusResult): string {
  const lines = [
    `Stack ${status.stack}: ${status.running ? 'running' : 'stopped'} (Kafka ${status.kafkaVersion}, ${status.mode}, ${status.runtime} runtime)`,
    `Bootstrap servers: ${status.bootstrapServers}`,
    ...renderDetails(status.details ?? {}, '', 0, ': '),
    '',
    renderNodes(status.nodes),
    ...renderServices(status.services),
  ]
  if (status.cluster) {
    lines.push(
      '',
      `Cluster id: ${status.cluster.clusterId}`,
      `Controller: ${status.cluster.controller ?? '-'}`,
      `Brokers:    ${status.cluster.brokers.map((b) => `${b.nodeId} (${b.host}:${b.port})`).join(', ') || 'none'}`,
    )
  } else if (status.clusterError) {
    lines.push('', `Cluster: not answering (${status.clusterError})`)
  }
  return lines.join('\n')
}

export function renderStatusAll(result: StatusAllResult): string {
  if (result.stacks.length === 0) return `No stacks yet. ${kafkitCommand('up')} creates "default".`
  const c = color()
  return renderTable(
    ['STACK', 'STATE', 'KAFKA', 'MODE', 'RUNTIME', 'BOOTSTRAP SERVERS', 'PORTS'],
    result.stacks.map((s) => [
      s.stack,
      s.state === 'running' ? c.green('running') : c.red('stopped'),
      s.kafkaVersion,
      s.mode,
      s.runtime,
      s.bootstrapServers,
      s.ports.join(','),
    ]),
  )
}

export function renderDown(result: DownResult): string {
  const stopped = result.processes.filter((p) => p.result !== 'not-running')
  if (stopped.length === 0) return `Stack ${result.stack} was not running.`
  return `Stopped stack ${result.stack}: ${stopped.map((p) => `${p.name}${p.result === 'killed' ? ' (killed)' : ''}`).join(', ')}. Data kept; ${kafkitCommand('up', { stack: result.stack })} starts it again.`
}

export function renderDetections(detections: RuntimeDetection[], options: { maxWidth?: number } = {}): string {
  const c = color()
  return renderTable(
    ['CHECK', 'STATUS', 'DETAILS', 'FIX'],
    detections.map((d) => [
      d.runtime,
      d.usable ? c.green('ok') : c.yellow('unavailable'),
      d.reason,
      d.usable ? '' : (d.fix ?? ''),
    ]),
    options,
  )
}
