/** kafka-client-metrics.sh's text (ClientMetricsCommand 4.4, or 3.9's for a 3.9 broker's result), byte for byte. Pure. */
import type { MetricsResult } from './service.js'

export function renderMetrics(result: MetricsResult): string {
  switch (result.action) {
    case 'alter':
      return `Altered client metrics config for ${result.name}.\n`
    case 'delete':
      return `Deleted client metrics config for ${result.name}.\n`
    case 'list':
      return `${result.names.join('\n')}\n`
    case 'describe':
      // 4.x's line; a 3.9 broker's result lists the missing name as the 3.9 script prints it (a heading alone).
      if (result.missing && result.resources.length === 0)
        return `The client metric resource ${result.missing} doesn't exist and doesn't have dynamic config.\n`
      return result.resources
        .map(
          (r) =>
            `Client metrics configs for ${r.name} are:\n${r.configs.map((c) => `  ${c.name}=${c.value}\n`).join('')}`,
        )
        .join('')
  }
}
