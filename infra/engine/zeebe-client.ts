import { Camunda8 } from '@camunda8/sdk';
import { zeebeAddress, type Config } from '../config.js';

export type ZeebeClient = ReturnType<Camunda8['getZeebeGrpcApiClient']>;

/**
 * A gRPC client of the configured Zeebe gateway (plain text: loopback or a private network).
 * The SDK's own retries are bounded (it retries UNAVAILABLE and backpressure for ever by
 * default): a call gives up after a few tries, and the outbox or the job retries it later.
 */
export function createZeebeClient(config: Config): ZeebeClient {
  return new Camunda8({
    ZEEBE_GRPC_ADDRESS: `grpc://${zeebeAddress(config)}`,
    CAMUNDA_AUTH_STRATEGY: 'NONE',
    zeebeGrpcSettings: {
      ZEEBE_CLIENT_LOG_LEVEL: 'NONE',
      ZEEBE_GRPC_CLIENT_MAX_RETRIES: 3,
      ZEEBE_GRPC_CLIENT_MAX_RETRY_TIMEOUT_SECONDS: 2,
    },
  }).getZeebeGrpcApiClient();
}
