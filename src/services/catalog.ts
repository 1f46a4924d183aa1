/**
 * The services a stack can run beside Kafka (`up --with connect,schema-registry`): their names, default ports and the
 * pure planning rules. Launching them is launcher.ts; what each one runs is connect.ts and registry.ts.
 */
import { UsageError } from '../errors.js'
import type { ServiceName, ServiceState } from '../model/state.js'

export const SERVICE_NAMES: readonly ServiceName[] = ['connect', 'schema-registry']

/** The ports the usual tools expect: Connect's REST API on 8083, a Confluent-compatible registry on 8081. */
export const DEFAULT_SERVICE_PORTS: Record<ServiceName, number> = { connect: 8083, 'schema-registry': 8081 }

export const SERVICE_LABELS: Record<ServiceName, string> = {
  connect: 'Kafka Connect',
  'schema-registry': 'Schema Registry',
}

/** Start order: the registry first (Connect converters may use it); stop order is the reverse. */
const ORDER: Record<ServiceName, number> = { 'schema-registry': 0, connect: 1 }

/** `--with connect,schema-registry` (repeatable, comma-separated); `registry` is accepted for the registry. */
export function parseServiceList(values: readonly string[] | undefined): ServiceName[] {
  const names = new Set<ServiceName>()
  for (const value of values ?? []) {
    for (const raw of value.split(',')) {
      const name = raw.trim().toLowerCase()
      if (!name) continue
      const resolved = name === 'registry' || name === 'schemaregistry' ? 'schema-registry' : name
      if (!(SERVICE_NAMES as readonly string[]).includes(resolved)) {
        throw new UsageError(`Unknown service "${raw.trim()}" in --with: expected ${SERVICE_NAMES.join(', ')}.`, {
          code: 'BAD_SERVICE',
        })
      }
      names.add(resolved as ServiceName)
    }
  }
  return [...names].sort((a, b) => ORDER[a] - ORDER[b])
}

export function sortServices<T extends { name: ServiceName }>(services: T[]): T[] {
  return [...services].sort((a, b) => ORDER[a.name] - ORDER[b.name])
}

/**
 * The stack's services after `up --with`: the ones it has keep their port (a port flag that differs is refused, as the
 * broker port is), new ones get the port asked for or the default.
 */
export function planServices(
  existing: readonly ServiceState[] | undefined,
  requested: readonly ServiceName[],
  ports: Partial<Record<ServiceName, number>> = {},
): ServiceState[] {
  const planned = [...(existing ?? []).map((s) => ({ ...s }))]
  for (const [name, port] of Object.entries(ports) as Array<[ServiceName, number | undefined]>) {
    if (port === undefined) continue
    if (!Number.isInteger(port) || port < 1 || port > 65_535) {
      throw new UsageError(`Invalid --${name}-port ${port}: expected 1-65535.`, { code: 'BAD_PORT' })
    }
    const current = planned.find((s) => s.name === name)
    if (current && current.port !== port) {
      throw new UsageError(
        `The stack's ${SERVICE_LABELS[name]} listens on port ${current.port}; --${name}-port ${port} cannot move it.`,
        { code: 'STACK_SHAPE_CONFLICT', suggestions: ['Omit the port flag, or purge the stack to start over.'] },
      )
    }
  }
  for (const name of requested) {
    if (planned.some((s) => s.name === name)) continue
    planned.push({ name, port: ports[name] ?? DEFAULT_SERVICE_PORTS[name] })
  }
  const byPort = new Map<number, ServiceName>()
  for (const service of planned) {
    const other = byPort.get(service.port)
    if (other) {
      throw new UsageError(
        `${SERVICE_LABELS[other]} and ${SERVICE_LABELS[service.name]} cannot share port ${service.port}.`,
        {
          code: 'BAD_PORT',
        },
      )
    }
    byPort.set(service.port, service.name)
  }
  return sortServices(planned)
}
