/**
 * kafka-acls.sh's text, byte for byte (AclCommand 4.4, println on a Unix line separator): "Adding ACLs for resource
 * `...`: " then a newline, a space and the tab-led entries; "Current ACLs for resource `...`:" without the space; each
 * block ends with an empty line. For a broker before Kafka 4.0 (scriptVersion '3.9'), the text of 3.9's Scala
 * kafka.admin.AclCommand: both blocks as `...: \n \t<entry>\n\t<entry> \n\n` (a space before the first and the last
 * line break), and --add names every entry asked for, already there or not. Pure.
 */
import type { AclAddResult, AclListResult } from './service.js'
import { bindingText, entryText, patternText, type AccessControlEntry, type ResourcePattern } from './model.js'

const tabbed = (entries: AccessControlEntry[]) => entries.map((e) => `\t${entryText(e)}`).join('\n')

/** A block of 3.9's Scala tool: s"$head: $Newline ${acls.map("\t" + _).mkString(Newline)} $Newline", println'd. */
const scalaBlock = (head: string, entries: AccessControlEntry[]) => `${head}: \n ${tabbed(entries)} \n\n`

export function renderAdd(result: AclAddResult): string {
  let out = ''
  for (const r of result.resources) {
    if (result.scriptVersion === '3.9') {
      out += scalaBlock(`Adding ACLs for resource \`${patternText(r.pattern)}\``, [...r.added, ...r.existing])
      continue
    }
    for (const e of r.existing) out += `Acl ${bindingText({ pattern: r.pattern, entry: e })} already exists.\n`
    if (r.added.length > 0) out += `Adding ACLs for resource \`${patternText(r.pattern)}\`: \n ${tabbed(r.added)}\n\n`
  }
  return out
}

function renderResources(
  resources: Array<{ pattern: ResourcePattern; entries: AccessControlEntry[] }>,
  scriptVersion: AclListResult['scriptVersion'],
): string {
  return resources
    .map((r) =>
      scriptVersion === '3.9'
        ? scalaBlock(`Current ACLs for resource \`${patternText(r.pattern)}\``, r.entries)
        : `Current ACLs for resource \`${patternText(r.pattern)}\`:\n${tabbed(r.entries)}\n\n`,
    )
    .join('')
}

export function renderList(result: AclListResult): string {
  if (!result.byPrincipal) return renderResources(result.resources, result.scriptVersion)
  return result.byPrincipal
    .map((p) => `ACLs for principal \`${p.principal}\`\n${renderResources(p.resources, result.scriptVersion)}`)
    .join('')
}

/** The script's question before a --remove without --force. */
export function removeQuestion(filter: ResourcePattern, entries: AccessControlEntry[]): string {
  return entries.length === 0
    ? `Are you sure you want to delete all ACLs for resource filter \`${patternText(filter)}\`? (y/n)`
    : `Are you sure you want to remove ACLs: \n ${tabbed(entries)}\n from resource filter \`${patternText(filter)}\`? (y/n)`
}
