import { Kafka, logLevel } from 'kafkajs';
import { kafkaBrokers, type Config } from './config.js';

export function createKafka(config: Config, clientId: string): Kafka {
  return new Kafka({ clientId, brokers: kafkaBrokers(config), logLevel: logLevel.WARN });
}
