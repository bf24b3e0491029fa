import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../infra/config.js';
import { createZeebeClient, zeebeClientOptions } from '../../infra/engine/zeebe-client.js';
import { kafkaClientOptions } from '../../infra/kafka.js';
import { configProblems } from '../support/config.js';

const caFile = (): string => {
  const f = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ca-')), 'ca.pem');
  fs.writeFileSync(f, '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
  return f;
};

describe('Kafka and Zeebe transport security settings', () => {
  it('talks plain text on the local stack, with neither TLS nor SASL', () => {
    const k = kafkaClientOptions(loadConfig({}), 'hub');
    expect(k.ssl).toBeUndefined();
    expect(k.sasl).toBeUndefined();
    const z = zeebeClientOptions(loadConfig({}));
    expect(z?.ZEEBE_GRPC_ADDRESS).toBe('grpc://127.0.0.1:26500');
    // A job the gateway forgot to hand to a waiting request waits 10 s at most, not the SDK's 50.
    expect(z?.zeebeGrpcSettings?.ZEEBE_GRPC_WORKER_LONGPOLL_SECONDS).toBe(10);
    expect(zeebeClientOptions(loadConfig({ ZEEBE_LONG_POLL_SECONDS: '4' }))?.zeebeGrpcSettings?.ZEEBE_GRPC_WORKER_LONGPOLL_SECONDS).toBe(4);
  });

  it("takes the gateway from the hub's ZEEBE_ADDRESS without the SDK warning at start that it ignores that setting", async () => {
    // The SDK reads the environment once, when it is loaded, into this object: the hub's
    // ZEEBE_ADDRESS (required in production) lands there too.
    const sdkEnv = (await import('@camunda8/sdk/dist/lib/Configuration.js')).CamundaSDKConfiguration as Record<string, unknown>;
    const before = sdkEnv.ZEEBE_ADDRESS;
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    sdkEnv.ZEEBE_ADDRESS = '127.0.0.1:9';
    try {
      const client = createZeebeClient(loadConfig({ ZEEBE_ADDRESS: '127.0.0.1:9' }));
      await client.close();
      expect(warn.mock.calls.flat().join(' ')).not.toMatch(/ZEEBE_ADDRESS/);
    } finally {
      warn.mockRestore();
      sdkEnv.ZEEBE_ADDRESS = before;
    }
  });

  it('uses SCRAM over TLS with the private CA when production settings say so', () => {
    const ca = caFile();
    const k = kafkaClientOptions(loadConfig({ KAFKA_TLS: 'true', KAFKA_TLS_CA_FILE: ca, KAFKA_SASL_MECHANISM: 'scram-sha-512', KAFKA_SASL_USERNAME: 'hub', KAFKA_SASL_PASSWORD: 's3cret' }), 'hub');
    expect(k.ssl).toEqual({ ca: [fs.readFileSync(ca, 'utf8')] });
    expect(k.sasl).toEqual({ mechanism: 'scram-sha-512', username: 'hub', password: 's3cret' });
    const z = zeebeClientOptions(loadConfig({ ZEEBE_TLS: 'true', ZEEBE_TLS_CA_FILE: ca, ZEEBE_ADDRESS: 'zeebe.internal:26500' }));
    expect(z?.ZEEBE_GRPC_ADDRESS).toBe('grpcs://zeebe.internal:26500');
    expect(z?.CAMUNDA_CUSTOM_ROOT_CERT_PATH).toBe(ca);
  });

  it('refuses settings that do not fit together, naming them, and never prints a password', () => {
    const problems = configProblems;
    expect(problems({ KAFKA_SASL_MECHANISM: 'plain', KAFKA_SASL_USERNAME: 'hub' })).toMatch(/KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD/);
    expect(problems({ KAFKA_TLS_CA_FILE: caFile() })).toMatch(/set KAFKA_TLS=true/);
    expect(problems({ ZEEBE_TLS: 'true', ZEEBE_TLS_CA_FILE: '/nowhere/ca.pem' })).toMatch(/ZEEBE_TLS_CA_FILE=.*no such file/);
    const secret = problems({ KAFKA_SASL_PASSWORD: 'x'.repeat(600) });
    expect(secret).toMatch(/KAFKA_SASL_PASSWORD=\(hidden\)/);
    expect(secret).not.toContain('xxxx');
  });
});
