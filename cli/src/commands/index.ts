import type { Command } from '../command.ts';
import { auditCommand } from './audit/index.ts';
import { auditExporterCommand } from './audit-exporter.ts';
import { auditIngestCommand, dlpWorkerCommand, gatewayCommand } from './roles.ts';
import { configCommand } from './config.ts';
import { dlpCommand } from './dlp.ts';
import { kafkaCommand } from './kafka.ts';
import { keysCommand } from './keys.ts';
import { startCommand } from './start.ts';
import { testCommand } from './test.ts';
import { toolsCommand } from './tools.ts';

/** Every `gatehouse` command, in the order --help lists them. */
export const commands: Command[] = [
  startCommand,
  testCommand,
  gatewayCommand,
  dlpWorkerCommand,
  auditIngestCommand,
  auditExporterCommand,
  auditCommand,
  dlpCommand,
  configCommand,
  toolsCommand,
  keysCommand,
  kafkaCommand,
];
