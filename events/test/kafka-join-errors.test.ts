import { KafkaJSConnectionError, KafkaJSNumberOfRetriesExceeded, KafkaJSProtocolError } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { isPassingKafkaError } from '../src/kafka-bus.ts';

const protocolError = (type: string) => new KafkaJSProtocolError({ type, code: 0, retriable: true, message: type } as never);

describe('which failed joins a subscription tries again', () => {
  it('tries again while the broker loads or moves its group coordinator, also after kafkajs gave up', () => {
    expect(isPassingKafkaError(protocolError('GROUP_LOAD_IN_PROGRESS'))).toBe(true);
    expect(isPassingKafkaError(protocolError('REBALANCE_IN_PROGRESS'))).toBe(true);
    expect(isPassingKafkaError(new KafkaJSNumberOfRetriesExceeded(protocolError('GROUP_COORDINATOR_NOT_AVAILABLE'), { retryCount: 5, retryTime: 3000 } as never))).toBe(true);
  });

  it('gives up at once on an unreachable broker, a missing topic or any other error', () => {
    expect(isPassingKafkaError(new KafkaJSConnectionError('Connection error: ECONNREFUSED'))).toBe(false);
    expect(isPassingKafkaError(protocolError('UNKNOWN_TOPIC_OR_PARTITION'))).toBe(false);
    expect(isPassingKafkaError(new Error('consumer group did not finish joining'))).toBe(false);
  });
});
