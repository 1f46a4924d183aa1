/**
 * `kafkit configs`: kafka-configs.sh --describe / --alter for topics and brokers.
 *
 * Both go through kafkit's own client (../cluster/admin.ts: DescribeConfigs and IncrementalAlterConfigs), not
 * kafkajs: kafkajs 2.x only has the legacy AlterConfigs, which REPLACES every dynamic config of the resource. Adding
 * one key with it means reading the current overrides and writing them all back, which races with other
 * writers and cannot work for sensitive broker configs (the broker never returns their values, so writing
 * "the full set" would silently drop passwords). kafkajs also refuses the empty resource name that stands
 * for the cluster-wide broker defaults. IncrementalAlterConfigs (what the script sends since Kafka 2.3)
 * changes exactly the keys given.
 */
import { KafkitError } from '../errors.js'
import type { Reporter } from '../output/reporter.js'
import { type ConfigEntryView, type EntityConfigsView } from './views.js'
import type { ConfigsRequest, Entity, EntityType } from './options.js'
import { compareStrings } from '../topics/filter.js'
import type { ConnectionSettings } from '../connection/settings.js'
import {
  ConfigOperation,
  ResourceType,
  alterConfigs,
  configApisSupported,
  describeCluster,
  describeConfigs,
  kafkaError,
  listTopics,
} from '../cluster/admin.js'
import { withClient } from '../cluster/connect.js'
import type { KafkaClient } from '../client/kafka-client.js'

export type ConfigsResult =
  | { action: 'describe'; all: boolean; entities: EntityConfigsView[] }
  | { action: 'alter'; type: EntityType; name: string; set: Record<string, string>; deleted: string[] }

/** The config source the script shows without --all: the dynamic one of the entity's kind. */
const DYNAMIC_SOURCE = {
  topic: 'DYNAMIC_TOPIC_CONFIG',
  broker: 'DYNAMIC_BROKER_CONFIG',
  brokerDefault: 'DYNAMIC_DEFAULT_BROKER_CONFIG',
}

function dynamicSource(type: EntityType, name: string): string {
  if (type === 'topics') return DYNAMIC_SOURCE.topic
  return name === '' ? DYNAMIC_SOURCE.brokerDefault : DYNAMIC_SOURCE.broker
}

export async function runConfigs(
  settings: ConnectionSettings,
  request: ConfigsRequest,
  reporter?: Reporter,
): Promise<ConfigsResult> {
  return withClient(settings, { reporter }, async (client) => {
    if (request.action === 'describe') {
      const names = await entityNames(client, request.entity)
      const entities: EntityConfigsView[] = []
      for (const name of names) {
        const configs = await readConfigs(client, request.entity.type, name)
        const shown = request.all
          ? configs
          : configs.filter((c) => c.source === dynamicSource(request.entity.type, name))
        entities.push({
          type: request.entity.type,
          name,
          configs: shown.sort((a, b) => compareStrings(a.name, b.name)),
        })
      }
      return { action: 'describe', all: request.all, entities }
    }
    const { type, name } = request.entity
    await entityNames(client, request.entity, true) // fails clearly when the topic or broker does not exist
    if (request.delete.length > 0) {
      const current = new Set(
        (await readConfigs(client, type, name))
          .filter((c) => c.source === dynamicSource(type, name))
          .map((c) => c.name),
      )
      const missing = request.delete.filter((k) => !current.has(k))
      if (missing.length > 0) {
        throw new KafkitError(`Invalid config(s): ${missing.join(',')} (not set on ${label(type, name)}).`, {
          code: 'INVALID_CONFIG',
          suggestions: [
            `See what is set: kafkit configs --describe ${type === 'topics' ? `--topic ${name}` : name === '' ? '--entity-type brokers --entity-default' : `--broker ${name}`}`,
          ],
        })
      }
    }
    if (!(await configApisSupported(client, target(type, name))).alter)
      throw new KafkitError('This cluster does not support IncrementalAlterConfigs (Kafka 2.3+ does).', {
        code: 'UNSUPPORTED_BY_BROKER',
      })
    const ops = [
      ...request.delete.map((key) => ({ name: key, operation: ConfigOperation.delete, value: null })),
      ...Object.entries(request.set).map(([key, value]) => ({ name: key, operation: ConfigOperation.set, value })),
    ]
    const result = await alterConfigs(client, target(type, name), { type: resourceType(type), name }, ops)
    if (result.errorCode !== 0) throw configError(type, name, result.errorCode, result.errorMessage)
    return { action: 'alter', type, name, set: request.set, deleted: request.delete }
  })
}

function label(type: EntityType, name: string): string {
  if (type === 'topics') return `topic ${name}`
  return name === '' ? 'the broker defaults' : `broker ${name}`
}

function resourceType(type: EntityType): number {
  return type === 'topics' ? ResourceType.topic : ResourceType.broker
}

/** A broker's own configs must be asked of (and changed on) that broker; everything else goes anywhere. */
function target(type: EntityType, name: string): number | 'any' {
  return type === 'brokers' && name !== '' ? Number(name) : 'any'
}

/** The entities to show: the one named (checked to exist, in the script's words), or all of the type. */
async function entityNames(client: KafkaClient, entity: Entity, altering = false): Promise<string[]> {
  const missing = altering ? 'does not exist' : "doesn't exist and doesn't have dynamic config"
  if (entity.type === 'topics') {
    const topics = await listTopics(client)
    if (entity.name === undefined) return topics.sort(compareStrings)
    if (!topics.includes(entity.name)) {
      throw new KafkitError(`The topic '${entity.name}' ${missing}.`, {
        code: 'UNKNOWN_TOPIC',
        suggestions: ['kafkit topics --list'],
      })
    }
    return [entity.name]
  }
  const brokers = (await describeCluster(client)).brokers
    .map((b) => String(b.nodeId))
    .sort((a, b) => Number(a) - Number(b))
  if (entity.name === undefined) return [...brokers, '']
  if (entity.name !== '' && !brokers.includes(entity.name)) {
    throw new KafkitError(`The broker '${entity.name}' ${missing}.`, {
      code: 'UNKNOWN_BROKER',
      suggestions: [`Brokers in this cluster: ${brokers.join(', ')}`],
    })
  }
  return [entity.name]
}

async function readConfigs(client: KafkaClient, type: EntityType, name: string): Promise<ConfigEntryView[]> {
  if (!(await configApisSupported(client, target(type, name))).describe)
    throw new KafkitError('This cluster does not support DescribeConfigs v1 (Kafka 1.1+ does).', {
      code: 'UNSUPPORTED_BY_BROKER',
    })
  const [result] = await describeConfigs(client, target(type, name), [{ type: resourceType(type), name }], {
    synonyms: true,
  })
  if (!result) throw new KafkitError(`No configs returned for ${label(type, name)}.`)
  if (result.errorCode !== 0) throw configError(type, name, result.errorCode, result.errorMessage)
  return result.configs.map((c) => ({
    name: c.name,
    value: c.value,
    source: c.source,
    sensitive: c.sensitive,
    readOnly: c.readOnly,
    synonyms: c.synonyms,
  }))
}

function configError(type: EntityType, name: string, code: number, message: string | null): KafkitError {
  const error = kafkaError(code)
  if (error.type === 'UNKNOWN_TOPIC_OR_PARTITION') {
    return new KafkitError(`The topic '${name}' doesn't exist.`, {
      code: 'UNKNOWN_TOPIC',
      suggestions: ['kafkit topics --list'],
    })
  }
  return new KafkitError(`Cannot change ${label(type, name)}: ${message || error.message} (${error.type}).`, {
    code: error.type,
  })
}
