/**
 * What the direct commands take from '@oclif/core' (Command, Flags, Args, Errors), for the direct bundle only:
 * scripts/build.mjs builds dist/direct.js with '@oclif/core' resolved to this file, so the same command classes run
 * without loading oclif. Each piece follows oclif 4's source (lib/command.js, flags.js, args.js, errors/) for what
 * the direct commands use; Command.parse accepts a command line only if it parses exactly as oclif would parse it
 * (see parse.ts), else it throws NotDirect and the command line is run again through oclif.
 * Types are not exported: the commands are type-checked against the real @oclif/core.
 */
import { format, inspect } from 'node:util'
import { NotDirect, parseDirect, type ArgDefinition, type FlagDefinition } from './parse.js'

export class CLIError extends Error {
  oclif: { exit?: number }
  code?: string
  constructor(message: string, options: { exit?: number } = {}) {
    super(message)
    this.oclif = { exit: options.exit ?? 2 }
  }
}

export class ExitError extends CLIError {
  override code = 'EEXIT'
  constructor(exitCode = 1) {
    super(`EEXIT: ${exitCode}`, { exit: exitCode })
  }
}

export const Errors = { CLIError, ExitError }

type FlagOptions = Partial<FlagDefinition> & Record<string, unknown>

function custom(defaults: FlagOptions = {}) {
  return (options: FlagOptions = {}) => ({
    parse: async (input: unknown) => input,
    ...defaults,
    ...options,
    input: [],
    multiple: Boolean(options.multiple === undefined ? (defaults.multiple ?? false) : options.multiple),
    type: 'option',
  })
}

export const Flags = {
  custom,
  string: custom(),
  boolean: (options: FlagOptions = {}) => ({
    parse: async (value: unknown) => value,
    ...options,
    allowNo: Boolean(options.allowNo),
    type: 'boolean',
  }),
  integer: custom({
    async parse(input: string, _context: unknown, opts: { min?: number; max?: number }) {
      if (!/^-?\d+$/.test(input)) throw new CLIError(`Expected an integer but received: ${input}`)
      const num = Number.parseInt(input, 10)
      if ((opts.min !== undefined && num < opts.min) || (opts.max !== undefined && num > opts.max))
        throw new CLIError(`Integer out of range: ${input}`)
      return num
    },
  } as FlagOptions),
}

export const Args = {
  string: (options: Record<string, unknown> = {}) => ({
    parse: async (input: string) => input,
    ...options,
    input: [],
    type: 'option',
  }),
}

/** The part of oclif's Config the direct commands and this Command read. */
export interface LiteConfig {
  bin: string
  name: string
  root: string
}

const scopedEnvVarKey = (config: LiteConfig, key: string) => `${config.bin.toUpperCase().replace(/-/g, '_')}_${key}`

type CommandClass = {
  new (argv: string[], config: LiteConfig): Command
  id?: string
  flags?: Record<string, FlagDefinition>
  baseFlags?: Record<string, FlagDefinition>
  args?: Record<string, ArgDefinition>
  strict?: boolean
  enableJsonFlag?: boolean
}

const jsonFlag = Flags.boolean({ description: 'Format output as json.', helpGroup: 'GLOBAL' }) as FlagDefinition

export abstract class Command {
  static id: string | undefined
  static aliases: string[] = []
  static args = {}
  static baseFlags: Record<string, FlagDefinition> | undefined
  static enableJsonFlag = false
  static flags: Record<string, FlagDefinition> | undefined
  static strict = true

  id: string | undefined
  parsed = false

  constructor(
    public argv: string[],
    public config: LiteConfig,
  ) {
    this.id = this.ctor.id
  }

  static async run(this: CommandClass, argv: string[], config: LiteConfig): Promise<unknown> {
    return new this(argv, config)._run()
  }

  get ctor(): CommandClass {
    return this.constructor as unknown as CommandClass
  }

  abstract run(): Promise<unknown>

  async _run(): Promise<unknown> {
    let err: unknown
    let result: unknown
    try {
      delete process.env[scopedEnvVarKey(this.config, 'REDIRECTED')]
      await this.init()
      result = await this.run()
    } catch (error) {
      // A command line oclif must parse is handed back before anything ran or printed.
      if (error instanceof NotDirect) throw error
      err = error
      await this.catch(error as Error)
    } finally {
      await this.finally(err)
    }
    if (result && this.jsonEnabled()) this.logJson(result)
    return result
  }

  async init(): Promise<void> {}

  async finally(_err: unknown): Promise<void> {}

  async catch(err: Error & { exitCode?: number }): Promise<unknown> {
    process.exitCode = process.exitCode ?? err.exitCode ?? 1
    if (this.jsonEnabled()) this.logJson({ error: { ...err, message: err.message, name: err.name } })
    throw err
  }

  async parse(options: {
    flags?: Record<string, FlagDefinition>
    baseFlags?: Record<string, FlagDefinition>
    enableJsonFlag?: boolean
    args?: Record<string, ArgDefinition>
    strict?: boolean
  }): Promise<{ flags: Record<string, unknown>; args: Record<string, unknown> }> {
    const flags = { ...options.baseFlags, ...options.flags }
    const input = {
      flags: options.enableJsonFlag ? { json: jsonFlag, ...flags } : flags,
      args: options.args ?? {},
      strict: options.strict,
    }
    const result = await parseDirect(this.argv, input, this).catch((error: unknown) => {
      throw error instanceof NotDirect ? error : new NotDirect(String(error))
    })
    this.parsed = true
    return result
  }

  jsonEnabled(): boolean {
    if (!this.ctor.enableJsonFlag) return false
    if (process.env[scopedEnvVarKey(this.config, 'CONTENT_TYPE')]?.toLowerCase() === 'json') return true
    const passThrough = this.argv.indexOf('--')
    const json = this.argv.indexOf('--json')
    return passThrough === -1 ? json !== -1 : json !== -1 && json < passThrough
  }

  log(message: unknown = ''): void {
    // oclif's ux.stdout formats the message once before console.log formats it again ('%%' ends up '%')
    if (!this.jsonEnabled()) console.log(format(typeof message === 'string' ? message : inspect(message)))
  }

  logJson(json: unknown): void {
    console.log(JSON.stringify(json, null, 2))
  }

  exit(code = 0): never {
    throw new ExitError(code)
  }
}
