/**
 * The shape of every package's error catalogue (fastify's `createError` style): one line per code
 * with its HTTP status, its WebSocket close code and a message template that tells a person what
 * to fix (`%s` placeholders, filled by `formatError`). Each package keeps one `errors.ts` built
 * with `createError`; docs/errors.md lists them all (`pnpm docs:errors` writes it, and
 * test/error-catalogue.test.ts checks that the two agree).
 *
 * Close codes: 1007 invalid payload, 1008 policy or limit breach, 1009 too big, 1011 server error,
 * 1013 try again later, 4000-4999 our own (4xxx = the HTTP status, e.g. 4401, 4403); 0 when the
 * socket stays open (the error goes out as a `{"type":"error"}` message and the call continues).
 */

export interface ErrorSpec<C extends string = string> {
  readonly code: C
  /** HTTP status when the error answers a request. */
  readonly statusCode: number
  /** WebSocket close code when the error ends a socket; 0 when the socket stays open. */
  readonly closeCode: number
  /** What happened and what to do, with `%s` for the details. */
  readonly message: string
}

/** One catalogue entry: `NOT_JSON: createError('CQ_ERR_NOT_JSON', 400, 0, 'frame is not valid JSON: %s')`. */
export function createError<C extends `CQ_ERR_${string}`>(code: C, statusCode: number, closeCode: number, message: string): ErrorSpec<C> {
  return Object.freeze({ code, statusCode, closeCode, message })
}

export type ErrorCatalogue = Record<string, ErrorSpec>

/** `{ NOT_JSON: 'CQ_ERR_NOT_JSON', … }` from a catalogue, keeping the literal types. */
export function codesOf<T extends ErrorCatalogue>(catalogue: T): { readonly [K in keyof T]: T[K]['code'] } {
  return Object.freeze(Object.fromEntries(Object.entries(catalogue).map(([key, spec]) => [key, spec.code]))) as { readonly [K in keyof T]: T[K]['code'] }
}

/** The template with each `%s` replaced by the next argument (missing ones stay `%s`). */
export function formatError(spec: ErrorSpec, ...args: unknown[]): string {
  let i = 0
  return spec.message.replace(/%s/g, () => (i < args.length ? String(args[i++]) : '%s'))
}
