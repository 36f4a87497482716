#!/usr/bin/env tsx
/** `pnpm docs:errors`: rewrites docs/errors.md from the packages' error catalogues. */
import { writeFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { renderErrorsDoc } from './error-catalogues.js'

const target = resolve(import.meta.dirname, '../../docs/errors.md')
writeFileSync(target, renderErrorsDoc())
console.error(`callqa: wrote ${target}`)
