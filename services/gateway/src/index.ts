export { buildApp, type BuildOptions } from './app.js'
export { loadConfig, type GatewayConfig } from './config.js'
export { GatewayError, GatewayErrorCodes, ConfigError } from './errors.js'
export { ASR_FORMATS, ASR_ADAPTERS } from './asr/index.js'
