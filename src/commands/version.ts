import { KafkitCommand } from '../base-command.js'

export interface VersionResult {
  version: string
  platform: string
  arch: string
  node: string
}

export default class Version extends KafkitCommand<typeof Version> {
  static override summary = "Show kafkit's version, platform and Node.js version (same as --version)."
  static override examples = ['<%= config.bin %> version', '<%= config.bin %> version --json']

  async run(): Promise<VersionResult> {
    // The same line as --version (oclif's user agent, which bin/run.js's fast path reproduces).
    this.log(this.config.userAgent)
    return {
      version: this.config.version,
      platform: this.config.platform,
      arch: this.config.arch,
      node: process.version,
    }
  }
}
