import { Camunda8 } from '@camunda8/sdk';
import { zeebeAddress, type Config } from '../config.js';

export type ZeebeClient = ReturnType<Camunda8['getZeebeGrpcApiClient']>;

/** A gRPC client of the configured Zeebe gateway (plain text: loopback or a private network). */
export function createZeebeClient(config: Config): ZeebeClient {
  return new Camunda8({
    ZEEBE_GRPC_ADDRESS: `grpc://${zeebeAddress(config)}`,
    CAMUNDA_AUTH_STRATEGY: 'NONE',
    zeebeGrpcSettings: { ZEEBE_CLIENT_LOG_LEVEL: 'ERROR' },
  }).getZeebeGrpcApiClient();
}
