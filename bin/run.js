#!/usr/bin/env node
// Compile cache: Node >= 22.1 keeps the compiled code of loaded modules on disk (NODE_COMPILE_CACHE or the temp dir),
// so later starts skip compiling oclif and kafkajs again. Node 20 has no such function and skips this line.
import module from 'node:module'
module.enableCompileCache?.()

// Fast path: `kafkit --version` is typed often and should not pay for oclif's start-up.
if (process.argv.length === 3 && (process.argv[2] === '--version' || process.argv[2] === '-v')) {
  const { readFileSync } = await import('node:fs')
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'))
  process.stdout.write(`kafkit/${pkg.version} ${process.platform}-${process.arch} node-${process.version}\n`)
} else {
  // dist/direct/: the most used admin commands (topics, get-offsets, the groups commands, configs) run without
  // oclif's start-up; run() returns false, having printed nothing, for a command line oclif must parse.
  const argv = process.argv.slice(2)
  const { directCommandId } = await import('../dist/direct/index.js')
  const id = process.env.KAFKIT_DIRECT === '0' ? undefined : directCommandId(argv)
  const root = new URL('..', import.meta.url).pathname
  if (id === undefined || !(await (await import(`../dist/direct/${id}.js`)).run(argv, root))) {
    // dist/cli.js: the esbuild bundle (oclif included); commands load from dist/command-index.js only when one runs.
    const { run } = await import('../dist/cli.js')
    await run(import.meta.url)
  }
}
