#!/usr/bin/env node
import { describeFailure } from './api.js'
import { buildProgram } from './program.js'

buildProgram()
  .parseAsync(process.argv)
  .catch((error: unknown) => {
    process.stderr.write(`podplane: ${describeFailure(error)}\n`)
    process.exit(1)
  })
