/** A .properties file from ordered key/values, with a header comment; values escaped as java.util.Properties reads them. */
export function renderProperties(header: string, entries: Record<string, string>): string {
  const escape = (text: string) => text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')
  const lines = [`# ${header}`]
  for (const [key, value] of Object.entries(entries))
    lines.push(`${escape(key).replace(/([=:\s])/g, '\\$1')}=${escape(value)}`)
  return `${lines.join('\n')}\n`
}
