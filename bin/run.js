#!/usr/bin/env node
// CommonJS (bin/package.json says so): a direct command then loads no ES module at all, and Node 20's ES module
// loader, its first start included, is a few milliseconds a run that the most used commands do not pay.
'use strict'

// Compile cache: Node >= 22.1 keeps the compiled code of loaded modules on disk (NODE_COMPILE_CACHE or the temp dir),
// so later starts skip compiling again. Node 20 has no such function and skips this line.
require('node:module').enableCompileCache?.()

const argv = process.argv.slice(2)
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-v')) {
  // Typed often: answered without loading oclif.
  const { version } = require('../package.json')
  process.stdout.write(`kafkit/${version} ${process.platform}-${process.arch} node-${process.version}\n`)
} else {
  // dist/direct/: the most used admin commands (topics, get-offsets, the groups commands, configs) run without
  // oclif's start-up; run() resolves false, having printed nothing, for a command line oclif must parse.
  const { directCommandId, requireBundle } = require('../dist/direct/index.cjs')
  const id = process.env.KAFKIT_DIRECT === '0' ? undefined : directCommandId(argv)
  const root = require('node:path').resolve(__dirname, '..')
  const direct =
    id === undefined
      ? Promise.resolve(false)
      : requireBundle(require('node:path').join(root, 'dist', 'direct', `${id}.cjs`)).run(argv, root)
  direct.then(async (done) => {
    if (done) return
    // dist/cli.js: the esbuild bundle (oclif included); commands load from dist/command-index.js only when one runs.
    const { run } = await import('../dist/cli.js')
    await run(require('node:url').pathToFileURL(__filename).href)
  })
}
