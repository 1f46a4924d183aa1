/**
 * DescribeConfigs, AlterConfigs and IncrementalAlterConfigs for topics (kept in the metadata store) and a read-only
 * broker resource with the keys tools look at. Broker configs are fixed for the process: Kafka's dynamic broker
 * configs have nothing to act on in the embedded broker, so altering them is refused rather than silently ignored.
 */
import { AlterConfigs } from '../../protocol/messages/alter-configs.js'
import {
  DescribeConfigs,
  type DescribeConfigsResponseDescribeConfigsResourceResultInput,
} from '../../protocol/messages/describe-configs.js'
import { IncrementalAlterConfigs } from '../../protocol/messages/incremental-alter-configs.js'
import {
  INVALID_CONFIG,
  isListConfig,
  TOPIC_CONFIG_BROKER_SYNONYMS,
  TOPIC_CONFIG_DEFAULTS,
  TOPIC_CONFIG_ORDER,
  validateTopicConfig,
} from '../configs.js'
import { BrokerError, handler, type HandlerEntry } from '../contracts.js'
import { UNKNOWN_TOPIC_OR_PARTITION, type BrokerCore } from '../core.js'

const TOPIC = 2
const BROKER = 4
const INVALID_REQUEST = 42
const CONFIG_SOURCE_DYNAMIC_TOPIC = 1
const CONFIG_SOURCE_STATIC_BROKER = 4
const CONFIG_SOURCE_DEFAULT = 5
const SET = 0
const DELETE = 1
const APPEND = 2
const SUBTRACT = 3

function brokerConfigs(core: BrokerCore, dataDir: string | undefined): Record<string, string> {
  return {
    'advertised.listeners': `PLAINTEXT://${core.host}:${core.port}`,
    'auto.create.topics.enable': 'true',
    'broker.id': String(core.nodeId),
    'default.replication.factor': '1',
    listeners: `PLAINTEXT://${core.host}:${core.port}`,
    'log.dirs': dataDir ?? '(memory)',
    'log.retention.hours': '168',
    'log.segment.bytes': '1073741824',
    'message.max.bytes': '1048588',
    'min.insync.replicas': '1',
    'node.id': String(core.nodeId),
    'num.partitions': '1',
    'offsets.topic.replication.factor': '1',
    'process.roles': 'broker,controller',
    'transaction.state.log.replication.factor': '1',
  }
}

function topicOrThrow(core: BrokerCore, name: string) {
  const topic = core.topic(name)
  if (!topic) throw new BrokerError(UNKNOWN_TOPIC_OR_PARTITION, `The topic '${name}' does not exist.`)
  return topic
}

function failure(error: unknown): { errorCode: number; errorMessage: string } {
  if (error instanceof BrokerError) return { errorCode: error.errorCode, errorMessage: error.message }
  throw error
}

function brokerResourceCheck(core: BrokerCore, name: string): void {
  if (name !== '' && name !== String(core.nodeId))
    throw new BrokerError(
      INVALID_REQUEST,
      `Unexpected broker id, expected ${core.nodeId} or empty string, but received ${name}`,
    )
}

export function configHandlers(core: BrokerCore, dataDir: string | undefined): HandlerEntry[] {
  const describe = (
    resourceType: number,
    name: string,
    keys: string[] | null,
    synonyms: boolean,
  ): DescribeConfigsResponseDescribeConfigsResourceResultInput[] => {
    let entries: Array<[string, string, number]>
    if (resourceType === TOPIC) {
      const topic = topicOrThrow(core, name)
      const rank = (key: string) => {
        const at = TOPIC_CONFIG_ORDER.indexOf(key)
        return at < 0 ? TOPIC_CONFIG_ORDER.length : at
      }
      entries = Object.entries(TOPIC_CONFIG_DEFAULTS)
        .sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b))
        .map(([key, fallback]) =>
          key in topic.configs
            ? [key, topic.configs[key]!, CONFIG_SOURCE_DYNAMIC_TOPIC]
            : [key, fallback, CONFIG_SOURCE_DEFAULT],
        )
    } else if (resourceType === BROKER) {
      brokerResourceCheck(core, name)
      entries = Object.entries(brokerConfigs(core, dataDir))
        .map(([k, v]): [string, string, number] => [k, v, CONFIG_SOURCE_STATIC_BROKER])
        .sort(([a], [b]) => a.localeCompare(b))
    } else {
      throw new BrokerError(INVALID_REQUEST, `Unsupported resource type ${resourceType} on the embedded broker`)
    }
    // A topic override's synonyms name the broker default it overrides, as Kafka lists them.
    const synonymsOf = (key: string, value: string, source: number) => {
      const list = [{ name: key, value, source }]
      const brokerKey = TOPIC_CONFIG_BROKER_SYNONYMS[key]
      if (resourceType === TOPIC && source === CONFIG_SOURCE_DYNAMIC_TOPIC && brokerKey !== undefined)
        list.push({ name: brokerKey, value: TOPIC_CONFIG_DEFAULTS[key]!, source: CONFIG_SOURCE_DEFAULT })
      return list
    }
    return entries
      .filter(([key]) => keys === null || keys.includes(key))
      .map(([key, value, source]) => ({
        name: key,
        value,
        readOnly: resourceType === BROKER,
        configSource: source,
        isSensitive: false,
        synonyms: synonyms ? synonymsOf(key, value, source) : [],
      }))
  }

  /** One resource of AlterConfigs or IncrementalAlterConfigs: topics only; `change` edits a copy of its configs. */
  const alterResource = (
    resource: { resourceType: number; resourceName: string },
    change: (configs: Record<string, string>) => void,
    validateOnly: boolean,
  ) => {
    const result = { resourceType: resource.resourceType, resourceName: resource.resourceName }
    try {
      if (resource.resourceType !== TOPIC)
        throw new BrokerError(INVALID_REQUEST, 'Only topic configs can be altered on the embedded broker')
      const configs = { ...topicOrThrow(core, resource.resourceName).configs }
      change(configs)
      if (!validateOnly) core.setConfigs(resource.resourceName, configs)
      return { ...result, errorCode: 0, errorMessage: null }
    } catch (error) {
      return { ...result, ...failure(error) }
    }
  }

  return [
    handler(DescribeConfigs, (request) => ({
      throttleTimeMs: 0,
      results: request.resources.map((resource) => {
        try {
          return {
            errorCode: 0,
            errorMessage: null,
            resourceType: resource.resourceType,
            resourceName: resource.resourceName,
            configs: describe(
              resource.resourceType,
              resource.resourceName,
              resource.configurationKeys,
              request.includeSynonyms,
            ),
          }
        } catch (error) {
          return {
            ...failure(error),
            resourceType: resource.resourceType,
            resourceName: resource.resourceName,
            configs: [],
          }
        }
      }),
    })),

    handler(AlterConfigs, (request) => ({
      throttleTimeMs: 0,
      responses: request.resources.map((resource) =>
        // AlterConfigs replaces the whole set: keys left out go back to their defaults.
        alterResource(
          resource,
          (configs) => {
            for (const key of Object.keys(configs)) delete configs[key]
            for (const c of resource.configs) {
              validateTopicConfig(c.name, c.value)
              if (c.value !== null) configs[c.name] = c.value
            }
          },
          request.validateOnly,
        ),
      ),
    })),

    handler(IncrementalAlterConfigs, (request) => ({
      throttleTimeMs: 0,
      responses: request.resources.map((resource) =>
        alterResource(
          resource,
          (configs) => {
            for (const c of resource.configs) {
              validateTopicConfig(c.name, c.value)
              const current = (configs[c.name] ?? TOPIC_CONFIG_DEFAULTS[c.name] ?? '').split(',').filter(Boolean)
              const given = (c.value ?? '')
                .split(',')
                .map((v) => v.trim())
                .filter(Boolean)
              switch (c.configOperation) {
                case SET:
                  if (c.value === null)
                    throw new BrokerError(INVALID_REQUEST, `Null value not supported for: ${c.name}`)
                  configs[c.name] = c.value
                  break
                case DELETE:
                  delete configs[c.name]
                  break
                case APPEND:
                case SUBTRACT: {
                  if (!isListConfig(c.name))
                    throw new BrokerError(
                      INVALID_CONFIG,
                      `Config value append is not allowed for config key: ${c.name}`,
                    )
                  const next =
                    c.configOperation === APPEND
                      ? [...current, ...given.filter((v) => !current.includes(v))]
                      : current.filter((v) => !given.includes(v))
                  validateTopicConfig(c.name, next.join(','))
                  configs[c.name] = next.join(',')
                  break
                }
                default:
                  throw new BrokerError(INVALID_REQUEST, `Unknown config operation ${c.configOperation}`)
              }
            }
          },
          request.validateOnly,
        ),
      ),
    })),
  ]
}
