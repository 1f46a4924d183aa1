import { Flags } from '@oclif/core'
import { KafkitCommand } from '../base-command.js'
import { connectionFromFlags } from '../connection/settings.js'
import { connectionFlags, optionalDurationFlag } from '../flags.js'
import { tokenRequest } from '../delegation-tokens/options.js'
import type { TokenResult } from '../delegation-tokens/service.js'

const millis = (description: string) =>
  Flags.integer({ description: `${description} In milliseconds; -1: the broker's default.`, helpGroup: 'TOKEN' })

export default class DelegationTokens extends KafkitCommand<typeof DelegationTokens> {
  static override aliases = ['kafka-delegation-tokens', 'kafka-delegation-tokens.sh']
  static override deprecateAliases = false
  static override summary = 'Create, renew, expire and describe delegation tokens, like kafka-delegation-tokens.sh.'
  static override description = `Takes kafka-delegation-tokens.sh's flags (Kafka 4.4) and prints what it prints.
Brokers hand out tokens only on an authenticated SASL (or mutual TLS) connection and with delegation.token.secret.key set: give the SASL listener with --bootstrap-server and its credentials with --command-config.
--describe without --owner-principal lists every token you may describe (the script sends an empty owner list and gets none).`
  static override examples = [
    '<%= config.bin %> delegation-tokens --create --max-life-time-period -1 --renewer-principal User:bob --bootstrap-server localhost:9094 --command-config admin.properties',
    '<%= config.bin %> delegation-tokens --describe --owner-principal User:admin --bootstrap-server localhost:9094 --command-config admin.properties',
    '<%= config.bin %> delegation-tokens --renew --hmac <HMAC> --renew-time-period -1 --bootstrap-server localhost:9094 --command-config admin.properties',
    '<%= config.bin %> delegation-tokens --expire --hmac <HMAC> --expiry-time-period -1 --bootstrap-server localhost:9094 --command-config admin.properties',
  ]

  static override flags = {
    ...connectionFlags,
    create: Flags.boolean({ description: 'Create a token (needs --max-life-time-period).', helpGroup: 'ACTION' }),
    renew: Flags.boolean({ description: 'Renew a token (--hmac, --renew-time-period).', helpGroup: 'ACTION' }),
    expire: Flags.boolean({ description: 'Expire a token (--hmac, --expiry-time-period).', helpGroup: 'ACTION' }),
    describe: Flags.boolean({
      description: 'Describe tokens (of --owner-principal, else all you may see).',
      helpGroup: 'ACTION',
    }),
    'owner-principal': Flags.string({
      description: 'Owner, Type:name: the owner of a new token, or whose tokens to describe (repeatable).',
      multiple: true,
      multipleNonGreedy: true,
      helpGroup: 'TOKEN',
    }),
    'renewer-principal': Flags.string({
      description: 'Principal that may renew the new token, Type:name (repeatable).',
      multiple: true,
      multipleNonGreedy: true,
      helpGroup: 'TOKEN',
    }),
    'max-life-time-period': millis("The new token's maximum life."),
    'renew-time-period': millis('How far to renew.'),
    'expiry-time-period': millis('Expire after this long (-1: at once).'),
    hmac: Flags.string({
      description: "The token's HMAC (Base64, as --create and --describe print it).",
      helpGroup: 'TOKEN',
    }),
    timeout: optionalDurationFlag('Request timeout', { min: 1 }),
  }

  async run(): Promise<TokenResult> {
    const f = this.flags
    const request = tokenRequest(f)
    const [service, views] = await Promise.all([
      import('../delegation-tokens/service.js'),
      import('../delegation-tokens/views.js'),
    ])
    const result = await service.runTokens(
      {
        connection: connectionFromFlags(f),
        reporter: this.reporter,
        debug: this.debugEnabled,
        ...(f.timeout ? { requestTimeoutMs: f.timeout } : {}),
      },
      request,
    )
    if (!this.jsonEnabled()) {
      const text =
        result.action === 'create'
          ? views.renderCreate(result)
          : result.action === 'describe'
            ? views.renderDescribe(result)
            : views.renderExpiry(result)
      // The script ends "Completed ... New expiry date" without a line break; a terminal gets one so the prompt
      // does not follow on the same line, a pipe gets the script's bytes.
      process.stdout.write(text + (process.stdout.isTTY && !text.endsWith('\n') ? '\n' : ''))
    }
    return result
  }
}
