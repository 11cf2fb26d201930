import { randomBytes } from 'node:crypto';
import type { Command } from '../command.ts';
import { DEV_TOKEN_ENV } from '../config/demo-config.ts';
import { DEMO_SOURCE, loadSettings } from '../config/load-settings.ts';
import { createLogger } from '../logger.ts';
import { parseCommandArgs, parsePortOption } from '../parse-args.ts';
import { startEmbeddedPipeline } from '../run/embedded-pipeline.ts';
import { closeOnSignal } from '../run/wait-for-shutdown.ts';
import { reloadOnConfigChange } from '../run/config-reload.ts';
import { systemClock } from '../../../events/src/index.ts';

export const startCommand: Command = {
  name: 'start',
  summary: 'Run the whole pipeline in one process (embedded default: in-process bus, chDB under ./data/)',
  help: `
Usage: gatehouse start [--config FILE] [--port N]

Runs gateway, dlp-worker and audit-ingest in one process on the in-process bus, with the audit
trail in the embedded ClickHouse engine (chDB) under ./data/chdb. Prints the MCP URL. Edits of
the config file apply without a restart once they validate (portals, policy, tokens); an invalid
edit is logged and the running config stays.

Without a config file (no --config, no $GATEHOUSE_CONFIG, no ./gatehouse.yaml) it runs the demo:
one portal in front of a bundled demo MCP server whose get_customer tool returns a record with
PII, redacted by the built-in DLP profile. The demo's bearer token is $GATEHOUSE_DEV_TOKEN, or a
random one printed at start.

Options:
  --config FILE   the config file (see gatehouse.example.yaml)
  --port N        listen port (default: $PORT, then gateway.port, then 8080)

Environment: PORT, GATEHOUSE_CONFIG, GATEHOUSE_DEV_TOKEN, CLICKHOUSE_URL (use a ClickHouse
server instead of chDB), LOG_LEVEL (default info; logs are JSON on stderr).
`,
  async run(args, io) {
    const { values } = parseCommandArgs(args, { config: { type: 'string' }, port: { type: 'string' } });
    const env = { ...io.env };
    const generatedToken = env[DEV_TOKEN_ENV] ? undefined : `gh_dev_${randomBytes(24).toString('base64url')}`;
    if (generatedToken) env[DEV_TOKEN_ENV] = generatedToken;
    const overrides = { port: parsePortOption(values.port) };
    const settings = await loadSettings(io, { configPath: values.config, allowDemo: true, env, overrides });
    const demo = settings.source === DEMO_SOURCE;
    const logger = createLogger(env, 'embedded');
    const pipeline = await startEmbeddedPipeline(settings, logger);
    const portals = settings.portals.map((portal, index) => `${pipeline.url}/mcp/${portal.name}${index === 0 ? ` (also ${pipeline.url}/mcp)` : ''}`);
    const store = settings.store.kind === 'chdb' ? `chDB at ${settings.store.path}` : `ClickHouse at ${settings.store.url}`;
    io.stdout.write(
      [
        `Gatehouse is running: gateway + dlp-worker + audit-ingest in one process, in-process bus, ${store}.`,
        `Config: ${settings.source}`,
        `MCP URL: ${pipeline.url}/mcp`,
        ...(portals.length > 1 ? portals.map((line) => `  portal: ${line}`) : []),
        ...(demo ? [`Bearer token: ${env[DEV_TOKEN_ENV]}${generatedToken ? `  (generated; set ${DEV_TOKEN_ENV} to choose it)` : `  (from ${DEV_TOKEN_ENV})`}`] : []),
        `Audit trail: ./gatehouse audit query "SELECT time, type, tool, decision FROM audit_events ORDER BY time DESC LIMIT 20"`,
        'Press Ctrl+C to stop.',
        '',
      ].join('\n'),
    );
    const watcher = reloadOnConfigChange({ settings, env, overrides, apply: pipeline.reload, bus: pipeline.bus, topics: pipeline.topics, clock: systemClock, logger });
    await closeOnSignal(async () => {
      watcher?.close();
      await pipeline.close();
    }, logger);
    return 0;
  },
};
