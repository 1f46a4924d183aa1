/** kafka-configs.sh --describe text. Pure. */
import type { EntityType } from './options.js'

interface ConfigSynonymView {
  name: string
  value: string | null
  source: string
}

export interface ConfigEntryView {
  name: string
  value: string | null
  source: string
  sensitive: boolean
  readOnly: boolean
  synonyms: ConfigSynonymView[]
}

export interface EntityConfigsView {
  type: EntityType
  /** Topic name or broker id; '' for the cluster-wide broker defaults. */
  name: string
  configs: ConfigEntryView[]
}

function entityHeader(entity: { type: EntityType; name: string }, all: boolean): string {
  if (entity.type === 'brokers' && entity.name === '') return 'Default configs for brokers in the cluster are:'
  return `${all ? 'All' : 'Dynamic'} configs for ${entity.type === 'topics' ? 'topic' : 'broker'} ${entity.name} are:`
}

/** `  name=value sensitive=false synonyms={SOURCE:name=value, ...}`, exactly as the script prints an entry. */
export function renderConfigEntry(entry: ConfigEntryView): string {
  const synonyms = entry.synonyms.map((s) => `${s.source}:${s.name}=${s.value}`).join(', ')
  return `  ${entry.name}=${entry.value} sensitive=${entry.sensitive} synonyms={${synonyms}}`
}

export function renderConfigsDescribe(entities: EntityConfigsView[], all: boolean): string[] {
  return entities.flatMap((e) => [entityHeader(e, all), ...e.configs.map(renderConfigEntry)])
}

export function renderAlterDone(entity: { type: EntityType; name: string }): string {
  if (entity.type === 'brokers' && entity.name === '')
    return 'Completed updating default config for brokers in the cluster.'
  return `Completed updating config for ${entity.type === 'topics' ? 'topic' : 'broker'} ${entity.name}.`
}
