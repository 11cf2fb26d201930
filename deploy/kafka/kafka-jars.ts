import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, readdir, rename, rm } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { LocalKafkaError } from './local-kafka-error.ts';

/** The Maven project that lists the broker's jars; its `kafka.version` names the cache folder. */
export const KAFKA_POM = join(import.meta.dirname, 'pom.xml');

/** Reads `kafka.version` from the pom, the one place that pins the broker version. */
export async function kafkaVersion(pomPath: string = KAFKA_POM): Promise<string> {
  const pom = await readFile(pomPath, 'utf8');
  const version = /<kafka\.version>([^<]+)<\/kafka\.version>/.exec(pom)?.[1]?.trim();
  if (!version) throw new Error(`${pomPath} has no <kafka.version> property; add one, e.g. <kafka.version>3.9.2</kafka.version>`);
  return version;
}

/**
 * Where the jars of one Kafka version are cached: `$GATEHOUSE_KAFKA_CACHE_DIR`, else
 * `$XDG_CACHE_HOME/gatehouse/kafka-<version>`, else `~/.cache/gatehouse/kafka-<version>`.
 * Outside the repository so every checkout and worktree shares one download.
 */
export function defaultKafkaCacheDir(env: NodeJS.ProcessEnv, version: string): string {
  if (env.GATEHOUSE_KAFKA_CACHE_DIR) return env.GATEHOUSE_KAFKA_CACHE_DIR;
  const cacheHome = env.XDG_CACHE_HOME || join(env.HOME || homedir(), '.cache');
  return join(cacheHome, 'gatehouse', `kafka-${version}`);
}

export interface ResolveKafkaJarsOptions {
  cacheDir: string;
  pomPath?: string;
  logger?: Logger;
}

/**
 * Returns the folder holding the broker's jars, running Maven once to fill it. Maven writes to a
 * private folder that is renamed into place, so an interrupted or concurrent download never
 * leaves a half-filled cache that later runs would trust.
 */
export async function resolveKafkaJars(options: ResolveKafkaJarsOptions): Promise<string> {
  const libs = join(options.cacheDir, 'libs');
  if (await hasJars(libs)) return libs;

  const pomPath = options.pomPath ?? KAFKA_POM;
  const staging = join(options.cacheDir, `libs.partial-${process.pid}-${Date.now()}`);
  await mkdir(options.cacheDir, { recursive: true });
  options.logger?.info({ cacheDir: options.cacheDir }, 'resolving the Kafka broker jars with Maven (once per version)');
  try {
    await runMaven(['-q', '-B', '-f', pomPath, 'dependency:copy-dependencies', `-DoutputDirectory=${staging}`]);
    if (!(await hasJars(staging))) {
      throw new LocalKafkaError('GH_ERR_KAFKA_RESOLVE_FAILED', `Maven finished but wrote no jars to ${staging}; check ${pomPath}`);
    }
    try {
      await rename(staging, libs);
    } catch (error) {
      // Another process filled the cache first; its copy is as good as ours.
      if (!(await hasJars(libs))) throw error;
    }
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
  return libs;
}

async function hasJars(dir: string): Promise<boolean> {
  if (!existsSync(dir)) return false;
  const names = await readdir(dir);
  return names.some((name) => name.startsWith('kafka_2.13-') && name.endsWith('.jar'));
}

function runMaven(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile('mvn', args, { maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (!error) return resolve();
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        return reject(
          new LocalKafkaError(
            'GH_ERR_KAFKA_MAVEN_MISSING',
            'Maven (`mvn`) is not on PATH; it downloads the Kafka broker jars once. Install Maven 3.6+ (e.g. `apt-get install maven`) or put its bin folder on PATH.',
          ),
        );
      }
      const tail = `${stdout}\n${stderr}`.trim().split('\n').slice(-20).join('\n');
      reject(
        new LocalKafkaError(
          'GH_ERR_KAFKA_RESOLVE_FAILED',
          `Maven could not resolve the Kafka broker jars (exit ${String(error.code)}); check network access to Maven Central or your ~/.m2/settings.xml mirror. Maven said:\n${tail}`,
        ),
      );
    });
  });
}
