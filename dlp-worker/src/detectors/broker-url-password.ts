import { urlPasswordDetector } from './url-password.ts';

export const brokerUrlPassword = urlPasswordDetector({
  id: 'broker_url_password',
  description: 'The password in a message-broker URL (AMQP/RabbitMQ, Kafka, NATS, MQTT, STOMP).',
  schemes: ['amqps?', 'kafka', 'nats', 'mqtts?', 'stomp', 'sqs'],
  positives: ['BROKER_URL=amqp://orders:Qm7Xp2Lz9Rk@rabbit.internal:5672/prod', 'nats://svc:T8kLm2Qp9Zx@nats:4222'],
  negatives: [
    { text: 'amqp://guest:guest@localhost:5672/', reason: 'a default placeholder password shared with the user name' },
    { text: 'amqp://rabbit.internal:5672', reason: 'no credentials' },
  ],
});
