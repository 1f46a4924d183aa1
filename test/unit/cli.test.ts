/**
 * src/cli.ts leaves @oclif/plugin-autocomplete out of oclif's start-up when one of kafkit's own commands runs: only
 * what can show or run another plugin's command (root help, `help`, `completion fish`, `autocomplete`, an unknown
 * command and its suggestions) loads the plugins.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { needsPlugins } from '../../src/cli.js'
import { COMMANDS } from '../../src/command-index.js'

const ids = Object.entries(COMMANDS).flatMap(([id, command]) => [id, ...command.aliases])

describe('needsPlugins', () => {
  it('is false for kafkit commands, with or without flags and topic words', () => {
    for (const argv of [
      ['topics', '--list'],
      ['topics', '--help'],
      ['get-offsets', '--topic', 'x'],
      ['consumer-groups', '--describe', '--all-groups'],
      ['broker', 'start', '--stack', 's'],
      ['shims', 'install'],
      ['version'],
      ['topics', 'my-topic'],
      ['kafka-topics.sh', '--bootstrap-server', 'localhost:9092', '--list'],
      ['groups', '--list'],
    ])
      assert.equal(needsPlugins(argv, ids), false, argv.join(' '))
  })

  it('is true for anything that can list, suggest or run another plugin’s command', () => {
    for (const argv of [
      [],
      ['--help'],
      ['-h'],
      ['help'],
      ['help', 'topics'],
      ['completion', 'fish'],
      ['completion:fish'],
      ['autocomplete', 'bash'],
      ['autocomplet'],
      ['broker'],
      ['broker', 'bogus'],
      ['--version'],
      ['-h', 'topics'],
      ['--help', 'topics', '--list'],
    ])
      assert.equal(needsPlugins(argv, ids), true, argv.join(' ') || '(no arguments)')
  })
})
