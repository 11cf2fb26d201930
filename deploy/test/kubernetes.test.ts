import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { COMMAND_NAMES, REPO_ROOT, environmentReadByCode, loadDeployedConfig, readYamlDocuments } from './support/code-facts.ts';

interface Container {
  name: string;
  image: string;
  args: string[];
  ports: Array<{ name: string; containerPort: number }>;
  env: Array<{ name: string; valueFrom?: { secretKeyRef?: { name: string; key: string } } }>;
  readinessProbe: { httpGet: { path: string; port: string } };
  livenessProbe: { httpGet: { path: string; port: string } };
  volumeMounts: Array<{ name: string; mountPath: string; subPath?: string }>;
}
interface Manifest {
  kind: string;
  metadata: { name: string; labels?: Record<string, string> };
  spec: Record<string, unknown>;
}

const BASE = path.join(REPO_ROOT, 'deploy', 'kubernetes', 'base');
const kustomization = parse(readFileSync(path.join(BASE, 'kustomization.yaml'), 'utf8')) as {
  resources: string[];
  configMapGenerator: Array<{ name: string; files: string[] }>;
  images: Array<{ name: string }>;
};
const manifests = kustomization.resources.flatMap((resource) => readYamlDocuments(path.join(BASE, resource))) as unknown as Manifest[];
const byKind = (kind: string) => manifests.filter((manifest) => manifest.kind === kind);
const deployments = byKind('Deployment');
const containerOf = (deployment: Manifest) => (deployment.spec['template'] as { spec: { containers: Container[] } }).spec.containers[0]!;
const podLabels = (deployment: Manifest) => (deployment.spec['template'] as { metadata: { labels: Record<string, string> } }).metadata.labels;
const matches = (selector: Record<string, string>, labels: Record<string, string>) => Object.entries(selector).every(([key, value]) => labels[key] === value);

describe('deploy/kubernetes base', () => {
  const generator = kustomization.configMapGenerator.find((entry) => entry.name === 'gatehouse-config')!;
  const { config, envRefs } = loadDeployedConfig(path.join(BASE, generator.files[0]!));
  const codeEnvironment = environmentReadByCode();

  it('lists resources that exist: a Deployment per role, Services, an HPA for dlp-worker, PodDisruptionBudgets', () => {
    for (const resource of kustomization.resources) expect(existsSync(path.join(BASE, resource)), resource).toBe(true);
    expect(deployments.map((deployment) => deployment.metadata.name).sort()).toEqual(['audit-ingest', 'dlp-worker', 'gateway']);
    expect(byKind('HorizontalPodAutoscaler').map((hpa) => hpa.metadata.name)).toEqual(['dlp-worker']);
    expect(byKind('PodDisruptionBudget')).toHaveLength(3);
  });

  it.each(deployments.map((deployment) => [deployment.metadata.name, deployment] as const))('%s runs its command of the one image with the mounted config', (name, deployment) => {
    const container = containerOf(deployment);
    expect(kustomization.images.map((image) => image.name)).toContain(container.image);
    expect(COMMAND_NAMES).toContain(container.args[0]);
    expect(container.args[0]).toBe(name);
    const configPath = container.args[container.args.indexOf('--config') + 1];
    expect(container.volumeMounts.find((mount) => mount.name === 'config')).toMatchObject({ mountPath: configPath, subPath: generator.files[0] });
  });

  it.each(deployments.map((deployment) => [deployment.metadata.name, deployment] as const))('%s sets only variables the code or its config reads, and every one the config needs', (_name, deployment) => {
    const names = containerOf(deployment).env.map((variable) => variable.name);
    expect(names.filter((name) => !codeEnvironment.has(name) && !envRefs.has(name))).toEqual([]);
    expect([...envRefs].filter((name) => !names.includes(name))).toEqual([]);
  });

  it.each(deployments.map((deployment) => [deployment.metadata.name, deployment] as const))('%s probes and exposes the port its role serves /healthz, /readyz and /metrics on', (name, deployment) => {
    const container = containerOf(deployment);
    const expectedPort = name === 'gateway' ? config.gateway.port : config.observability.metrics.port;
    expect(container.ports).toHaveLength(1);
    const [port] = container.ports;
    expect(port!.containerPort).toBe(expectedPort);
    expect(container.readinessProbe.httpGet).toEqual({ path: '/readyz', port: port!.name });
    expect(container.livenessProbe.httpGet).toEqual({ path: '/healthz', port: port!.name });
    const annotations = (deployment.spec['template'] as { metadata: { annotations: Record<string, string> } }).metadata.annotations;
    expect(annotations['prometheus.io/port']).toBe(String(expectedPort));
    expect(annotations['prometheus.io/path']).toBe('/metrics');
  });

  it('listens on every interface inside the pod', () => {
    expect(config.gateway.host).toBe('0.0.0.0');
    expect(config.observability.metrics.host).toBe('0.0.0.0');
  });

  it('has Services and PodDisruptionBudgets that select the pods of a Deployment, on ports the pods name', () => {
    for (const service of byKind('Service')) {
      const target = deployments.find((deployment) => matches(service.spec['selector'] as Record<string, string>, podLabels(deployment)));
      expect(target, service.metadata.name).toBeDefined();
      const portNames = containerOf(target!).ports.map((port) => port.name);
      for (const port of service.spec['ports'] as Array<{ targetPort: string }>) expect(portNames).toContain(port.targetPort);
    }
    for (const budget of byKind('PodDisruptionBudget')) {
      const selector = (budget.spec['selector'] as { matchLabels: Record<string, string> }).matchLabels;
      expect(deployments.filter((deployment) => matches(selector, podLabels(deployment))), budget.metadata.name).toHaveLength(1);
    }
  });

  it('scales dlp-worker up to no more replicas than the invocations topic has partitions', () => {
    const [hpa] = byKind('HorizontalPodAutoscaler');
    const target = hpa!.spec['scaleTargetRef'] as { kind: string; name: string };
    expect(deployments.some((deployment) => deployment.kind === target.kind && deployment.metadata.name === target.name)).toBe(true);
    expect(hpa!.spec['maxReplicas'] as number).toBeLessThanOrEqual(config.bus.kafka.partitions);
  });

  it('mounts the checkpoint signing key where the config reads it', () => {
    const keyFile = (config.audit.checkpoints.signing_key as { file: string }).file;
    const mount = containerOf(deployments.find((deployment) => deployment.metadata.name === 'audit-ingest')!).volumeMounts.find((volume) => volume.name === 'signing-key')!;
    expect(path.dirname(keyFile)).toBe(mount.mountPath);
  });

  it('takes secrets from the Secrets the production guide names', () => {
    const readme = readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
    const keys = deployments.flatMap((deployment) => containerOf(deployment).env.flatMap((variable) => (variable.valueFrom?.secretKeyRef ? [variable.valueFrom.secretKeyRef] : [])));
    expect(keys.length).toBeGreaterThan(0);
    for (const { name, key } of keys) {
      expect(readme, name).toContain(`\`${name}\``);
      expect(readme, key).toContain(`\`${key}\``);
    }
  });
});
