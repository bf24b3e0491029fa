import path from 'node:path';
import { Camunda8 } from '@camunda8/sdk';
import { projectRoot, zeebeAddress, type Config } from '../config.js';

export type ZeebeClient = ReturnType<Camunda8['getZeebeGrpcApiClient']>;

/** The SDK's settings: plain gRPC on loopback, TLS (the grpcs scheme, a private CA if given) when ZEEBE_TLS is set. */
export function zeebeClientOptions(config: Config): ConstructorParameters<typeof Camunda8>[0] {
  return {
    ZEEBE_GRPC_ADDRESS: `${config.ZEEBE_TLS ? 'grpcs' : 'grpc'}://${zeebeAddress(config)}`,
    // The SDK also reads the environment, where the hub's own ZEEBE_ADDRESS setting is: without
    // this it warns at each start that ZEEBE_ADDRESS "will be ignored" — it is the address above.
    ZEEBE_ADDRESS: '',
    CAMUNDA_AUTH_STRATEGY: 'NONE',
    ...(config.ZEEBE_TLS_CA_FILE ? { CAMUNDA_CUSTOM_ROOT_CERT_PATH: path.resolve(projectRoot, config.ZEEBE_TLS_CA_FILE) } : {}),
    zeebeGrpcSettings: {
      ZEEBE_CLIENT_LOG_LEVEL: 'NONE',
      ZEEBE_GRPC_CLIENT_MAX_RETRIES: 3,
      ZEEBE_GRPC_CLIENT_MAX_RETRY_TIMEOUT_SECONDS: 2,
      ZEEBE_GRPC_WORKER_LONGPOLL_SECONDS: config.ZEEBE_LONG_POLL_SECONDS,
      ZEEBE_GRPC_WORKER_POLL_INTERVAL_MS: config.ZEEBE_POLL_INTERVAL_MS,
    },
  };
}

/**
 * A gRPC client of the configured Zeebe gateway (plain text on loopback; TLS with ZEEBE_TLS).
 * The SDK's own retries are bounded (it retries UNAVAILABLE and backpressure for ever by
 * default): a call gives up after a few tries, and the outbox or the job retries it later.
 */
export function createZeebeClient(config: Config): ZeebeClient {
  return new Camunda8(zeebeClientOptions(config)).getZeebeGrpcApiClient();
}
