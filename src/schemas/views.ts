/** Text output of `kafkit schema-registry` (the --json output is the results themselves). */
import { renderTable } from '../output/table.js'
import type { RegisteredSchema } from './registry.js'
import type { CheckResult, CompatibilityResult, DeleteResult, RegisterResult } from './service.js'

export function schemaTable(schema: RegisteredSchema): string {
  const rows = [[schema.subject ?? '-', schema.version ?? '-', schema.id, schema.schemaType]]
  const table = renderTable(['SUBJECT', 'VERSION', 'ID', 'TYPE'], rows)
  const refs = schema.references.map((r) => `  ${r.name} -> ${r.subject} version ${r.version}`)
  return refs.length > 0 ? `${table}\nReferences:\n${refs.join('\n')}` : table
}

export function registerText(result: RegisterResult): string {
  const version = result.version === undefined ? '' : ` version ${result.version}`
  const refs = result.references.map((r) => `\n  reference ${r.name} -> ${r.subject} version ${r.version}`).join('')
  return `Registered ${result.schemaType} schema under ${result.subject}${version}, id ${result.id}.${refs}`
}

export function deleteText(result: DeleteResult): string {
  const how = result.permanent ? 'Permanently deleted' : 'Soft-deleted'
  return `${how} ${result.subject} version(s) ${result.versions.join(', ') || '-'}.`
}

export function compatibilityText(result: CompatibilityResult): string {
  return renderTable(['SUBJECT', 'LEVEL'], [[result.subject ?? '(global)', result.compatibility]])
}

export function checkText(result: CheckResult): string {
  const head = `${result.compatible ? 'Compatible' : 'NOT compatible'} with ${result.subject} version ${result.version}.`
  return [head, ...result.messages.map((m) => `  ${m}`)].join('\n')
}
