/**
 * Preloaded (`--import`) into the compiled gateway by test/build.test.ts, in its worker threads too:
 * the production image has no tsx, so resolving it here fails as it would there.
 */
import { register } from 'node:module'

const hooks = `export async function resolve(specifier, context, next) {
  if (/^tsx(\\/|$)/.test(specifier)) throw new Error('the compiled code resolved ' + specifier + ': production has no tsx')
  return next(specifier, context)
}`
register(`data:text/javascript,${encodeURIComponent(hooks)}`)
