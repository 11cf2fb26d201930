import type { ExportRecord } from '../export-record.ts';

/** A record and its text in the sink's format. */
export interface ExportItem {
  record: ExportRecord;
  line: string;
}

/** A receiver the continuous exporter pushes to (syslog, an HTTP collector, a Kafka topic). */
export interface ExportSink {
  /** Names the sink in logs and its cursor file; letters, digits, "-" and "_". */
  readonly name: string;
  /**
   * Resolves once the receiver took every item, in order; throws (with the reason, never an item)
   * when it did not, and the exporter delivers the same items again after a backoff.
   */
  deliver(items: ExportItem[]): Promise<void>;
  close(): Promise<void>;
}
