import { KafkitCommand } from '../base-command.js'
import { runDoctor, type DoctorResult } from '../doctor.js'
import { PrerequisiteError } from '../errors.js'
import { renderDetections } from '../stack/views.js'
import { renderTable } from '../output/table.js'

export default class Doctor extends KafkitCommand<typeof Doctor> {
  static override summary = 'Check every runtime and prerequisite, with the fix for what is missing.'
  static override description = 'Exits 0 when at least one runtime can start Kafka, 3 when none can.'
  static override examples = ['<%= config.bin %> doctor', '<%= config.bin %> doctor --json']

  async run(): Promise<DoctorResult> {
    const result = await runDoctor()
    // On a terminal the long DETAILS/FIX cells wrap within its width; in a pipe every row stays one line (grep, awk).
    const fit = process.stdout.isTTY && process.stdout.columns ? { maxWidth: process.stdout.columns - 1 } : {}
    this.log(
      renderTable(
        ['PREREQUISITE', 'STATUS', 'DETAILS', 'FIX'],
        result.checks.map((c) => [c.check, c.ok ? 'ok' : 'missing', c.details, c.fix ?? '']),
        fit,
      ),
    )
    this.log('')
    this.log(renderDetections(result.runtimes, fit))
    this.log('')
    this.log(`Installed Kafka: ${result.installed.join(', ') || 'none'}`)
    this.log(`Stacks: ${result.stacks.join(', ') || 'none'}`)
    if (!result.usableRuntime) {
      throw new PrerequisiteError('No runtime can start Kafka on this machine.', {
        code: 'NO_RUNTIME',
        suggestions: ['Install Java 17+; kafkit then installs Kafka itself.'],
      })
    }
    this.log(`kafkit up would use: ${result.usableRuntime}`)
    return result
  }
}
