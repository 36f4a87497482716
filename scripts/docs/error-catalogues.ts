/**
 * Every package's error catalogue in one list, and docs/errors.md rendered from it. A new package
 * with an `errors.ts` adds one line to CATALOGUES; a new code is one line in its package's
 * catalogue, then `pnpm docs:errors` rewrites the doc (test/error-catalogue.test.ts says what is
 * missing when they disagree).
 */
import type { ErrorCatalogue } from '@callqa/protocol'
import { PROTOCOL_ERRORS } from '@callqa/protocol'
import { ENGINE_ERRORS } from '@callqa/engine'
import { STORE_ERRORS } from '@callqa/store'
import { AGGREGATOR_ERRORS } from '@callqa/aggregator'
import { REVIEW_ERRORS } from '@callqa/review'
import { GATEWAY_ERRORS } from '../../services/gateway/src/errors.js'

export interface CatalogueEntry {
  /** The package, as named in docs/errors.md's headings. */
  name: string
  /** Where the catalogue lives. */
  file: string
  catalogue: ErrorCatalogue
}

export const CATALOGUES: CatalogueEntry[] = [
  { name: '@callqa/protocol', file: 'packages/protocol/src/errors.ts', catalogue: PROTOCOL_ERRORS },
  { name: '@callqa/engine', file: 'packages/engine/src/errors.ts', catalogue: ENGINE_ERRORS },
  { name: '@callqa/store', file: 'packages/store/src/errors.ts', catalogue: STORE_ERRORS },
  { name: '@callqa/review', file: 'packages/review/src/errors.ts', catalogue: REVIEW_ERRORS },
  { name: '@callqa/aggregator', file: 'services/aggregator/src/errors.ts', catalogue: AGGREGATOR_ERRORS },
  { name: '@callqa/gateway', file: 'services/gateway/src/errors.ts', catalogue: GATEWAY_ERRORS },
]

const HEADER = `# Error codes

Every error callqa sends a client, logs for an operator or throws to a caller carries a stable
\`CQ_ERR_*\` code. Codes never change meaning. Over HTTP an error is
\`{"statusCode","code","error","message"}\` with the status below; on a WebSocket it is
\`{"type":"error","code","message"[,"callId","seq"]}\` and the socket stays open unless the close
code column says otherwise (1007 invalid payload, 1008 policy or limit, 1009 too big, 1011 server
error, 1013 try again later, 44xx the HTTP status before the upgrade). The message column is the
template: \`%s\` stands for the details (field, value, limit) the real message names.

Generated from each package's \`errors.ts\` by \`pnpm docs:errors\`; \`test/error-catalogue.test.ts\`
checks that this file and the code agree.
`

/** One table row: the form the test compares. */
export function row(spec: { code: string; statusCode: number; closeCode: number; message: string }): string {
  return `| \`${spec.code}\` | ${spec.statusCode} | ${spec.closeCode === 0 ? '—' : spec.closeCode} | ${spec.message.replace(/\|/g, '\\|')} |`
}

export function renderErrorsDoc(catalogues: CatalogueEntry[] = CATALOGUES): string {
  const parts = [HEADER]
  for (const { name, file, catalogue } of catalogues) {
    parts.push(`## ${name}\n\n[${file}](../${file})\n\n| code | HTTP | close | message |\n| --- | --- | --- | --- |\n${Object.values(catalogue).map(row).join('\n')}\n`)
  }
  return parts.join('\n')
}
