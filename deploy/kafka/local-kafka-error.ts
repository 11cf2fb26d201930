/**
 * Why the local Kafka broker could not be resolved, started or stopped. Each code is stable and
 * each message says what to do about it.
 */
export type LocalKafkaErrorCode =
  | 'GH_ERR_KAFKA_JAVA_MISSING'
  | 'GH_ERR_KAFKA_MAVEN_MISSING'
  | 'GH_ERR_KAFKA_RESOLVE_FAILED'
  | 'GH_ERR_KAFKA_FORMAT_FAILED'
  | 'GH_ERR_KAFKA_ALREADY_RUNNING'
  | 'GH_ERR_KAFKA_PORT_IN_USE'
  | 'GH_ERR_KAFKA_EXITED'
  | 'GH_ERR_KAFKA_START_TIMEOUT';

export class LocalKafkaError extends Error {
  readonly code: LocalKafkaErrorCode;

  constructor(code: LocalKafkaErrorCode, message: string) {
    super(message);
    this.name = 'LocalKafkaError';
    this.code = code;
  }
}
