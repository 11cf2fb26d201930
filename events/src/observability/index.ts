export * from './event-metrics.ts';
export * from './metrics.ts';
export * from './observed-bus.ts';
export * from './trace-context.ts';
export * from './tracing.ts';
export * from './health-routes.ts';
