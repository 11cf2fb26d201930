import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { GRAFANA_DASHBOARDS_PATH, GRAFANA_ENVIRONMENT } from '../../dashboards/src/provisioning.ts';
import { COMMAND_NAMES, REPO_ROOT, environmentReadByCode, loadDeployedConfig, urlParts } from './support/code-facts.ts';

interface ComposeService {
  image?: string;
  build?: { context: string; dockerfile: string };
  command?: string[];
  environment?: Record<string, string | number>;
  volumes?: string[];
  ports?: string[];
  secrets?: string[];
  deploy?: { replicas?: number };
  healthcheck?: { test: string[] };
}

const COMPOSE_DIR = path.join(REPO_ROOT, 'deploy', 'compose');
const compose = parse(readFileSync(path.join(COMPOSE_DIR, 'compose.yaml'), 'utf8'), { merge: true }) as {
  services: Record<string, ComposeService>;
  secrets: Record<string, { file: string }>;
};
const ROLES = { gateway: 2, 'dlp-worker': 2, 'audit-ingest': 1 } as const;
const roleNames = Object.keys(ROLES) as Array<keyof typeof ROLES>;

/** `./host:/container[:ro]` → both sides, the host side resolved against the compose folder. */
function mounts(service: ComposeService): Array<{ host: string; container: string }> {
  return (service.volumes ?? []).map((volume) => {
    const [host, container] = volume.split(':') as [string, string];
    return { host: host.startsWith('.') ? path.resolve(COMPOSE_DIR, host) : host, container };
  });
}

describe('deploy/compose', () => {
  const services = compose.services;
  const configFile = mounts(services['gateway']!).find((mount) => mount.container === '/etc/gatehouse/gatehouse.yaml')!.host;
  const { config, envRefs } = loadDeployedConfig(configFile);
  const codeEnvironment = environmentReadByCode();

  it('runs Kafka in KRaft mode, ClickHouse, Prometheus, Grafana and each Gatehouse role', () => {
    expect(Object.keys(services)).toEqual(expect.arrayContaining(['kafka', 'clickhouse', 'prometheus', 'grafana', ...roleNames]));
    expect(String(services['kafka']!.environment!['KAFKA_PROCESS_ROLES'])).toBe('broker,controller');
    for (const role of roleNames) expect(services[role]!.deploy?.replicas ?? 1, role).toBe(ROLES[role]);
  });

  it.each(roleNames)('%s runs the one Gatehouse image, built from the Dockerfile, with a command the CLI has', (role) => {
    const service = services[role]!;
    expect(service.image).toBe('gatehouse:local');
    expect(existsSync(path.join(path.resolve(COMPOSE_DIR, service.build!.context), service.build!.dockerfile))).toBe(true);
    const [command, ...args] = service.command!;
    expect(COMMAND_NAMES).toContain(command);
    expect(command).toBe(role);
    expect(args).toEqual(['--config', '/etc/gatehouse/gatehouse.yaml']);
    expect(mounts(service).map((mount) => mount.container)).toContain('/etc/gatehouse/gatehouse.yaml');
  });

  it.each(roleNames)('%s sets only variables the code or its config reads, and every one the config needs', (role) => {
    const names = Object.keys(services[role]!.environment ?? {});
    expect(names.filter((name) => !codeEnvironment.has(name) && !envRefs.has(name))).toEqual([]);
    expect([...envRefs].filter((name) => !names.includes(name))).toEqual([]);
  });

  it('points the roles at the Kafka and ClickHouse services on the ports they listen on', () => {
    const environment = services['gateway']!.environment!;
    const [kafkaHost, kafkaPort] = String(environment['KAFKA_BROKERS']).split(':');
    expect(services[kafkaHost!]).toBeDefined();
    expect(String(services['kafka']!.environment!['KAFKA_LISTENERS'])).toContain(`PLAINTEXT://:${kafkaPort}`);
    const clickhouse = urlParts(String(environment['CLICKHOUSE_URL']));
    expect(services[clickhouse.host]).toBeDefined();
    expect(services['clickhouse']!.ports!.some((port) => port.endsWith(`:${clickhouse.port}`))).toBe(true);
    expect(config.bus.kind).toBe('kafka');
  });

  it('listens where the other containers reach it, and health-checks the ports and paths the roles serve', () => {
    expect(config.gateway.host).toBe('0.0.0.0');
    expect(config.observability.metrics.host).toBe('0.0.0.0');
    expect(services['gateway']!.ports!.every((port) => port.endsWith(`:${config.gateway.port}`))).toBe(true);
    for (const role of roleNames) {
      const url = services[role]!.healthcheck!.test.join(' ').match(/http:\/\/[^'"\s]+/)![0];
      const { port, path: probe } = urlParts(url);
      expect(port).toBe(role === 'gateway' ? config.gateway.port : config.observability.metrics.port);
      expect(probe).toBe('/readyz');
    }
  });

  it('mounts the checkpoint signing key where the config reads it', () => {
    const keyFile = (config.audit.checkpoints.signing_key as { file: string }).file;
    const [secret] = services['audit-ingest']!.secrets!;
    expect(keyFile).toBe(`/run/secrets/${secret}`);
    expect(compose.secrets[secret!]).toBeDefined();
  });

  it('scrapes every role on the port it serves /metrics on', () => {
    const prometheus = parse(readFileSync(path.join(COMPOSE_DIR, 'prometheus.yml'), 'utf8')) as {
      scrape_configs: Array<{ dns_sd_configs: Array<{ names: string[]; port: number }> }>;
    };
    const scraped = new Map(prometheus.scrape_configs.flatMap((job) => job.dns_sd_configs.flatMap((sd) => sd.names.map((name) => [name, sd.port] as const))));
    expect(scraped.get('gateway')).toBe(config.gateway.port);
    expect(scraped.get('dlp-worker')).toBe(config.observability.metrics.port);
    expect(scraped.get('audit-ingest')).toBe(config.observability.metrics.port);
  });

  it('provisions Grafana with the generated datasources and dashboards, and the variables they name', () => {
    const grafana = services['grafana']!;
    const mounted = new Map(mounts(grafana).map((mount) => [mount.container, mount.host]));
    expect(mounted.get('/etc/grafana/provisioning')).toBe(path.join(REPO_ROOT, 'dashboards', 'generated', 'provisioning'));
    expect(mounted.get(GRAFANA_DASHBOARDS_PATH)).toBe(path.join(REPO_ROOT, 'dashboards', 'generated', 'dashboards'));
    const provisioning = readFileSync(path.join(REPO_ROOT, 'dashboards', 'generated', 'provisioning', 'datasources', 'gatehouse.yaml'), 'utf8');
    const named = new Set([...provisioning.matchAll(/\$\{([A-Z_]+)\}/g)].map((match) => match[1]!));
    expect(named).toEqual(new Set(GRAFANA_ENVIRONMENT));
    expect(Object.keys(grafana.environment!)).toEqual(expect.arrayContaining([...GRAFANA_ENVIRONMENT]));
    expect(urlParts(String(grafana.environment!['PROMETHEUS_URL'])).host).toBe('prometheus');
    expect(services[String(grafana.environment!['CLICKHOUSE_HOST'])]).toBeDefined();
    expect(String(grafana.environment!['GF_PLUGINS_PREINSTALL'])).toContain('grafana-clickhouse-datasource');
  });
});
