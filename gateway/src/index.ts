export * from './config-schema.ts';
export { createGateway, type Gateway, type GatewayOptions, type GatewayPortal, type GatewayServer } from './create-gateway.ts';
export { GATEWAY_ERRORS, type GatewayErrorCode } from './errors.ts';
export * from './identity/index.ts';
export type { UpstreamSpec } from './upstream/index.ts';
export { createPinStore, type PinFile } from './pinning/pin-store.ts';
export { isLoopbackHost } from './loopback.ts';
