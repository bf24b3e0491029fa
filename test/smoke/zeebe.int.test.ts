import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { Camunda8 } from '@camunda8/sdk';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig, projectRoot, zeebeAddress } from '../../infra/config.js';

const config = loadConfig();
const c8 = new Camunda8({
  ZEEBE_GRPC_ADDRESS: `grpc://${zeebeAddress(config)}`,
  CAMUNDA_AUTH_STRATEGY: 'NONE',
  zeebeGrpcSettings: { ZEEBE_CLIENT_LOG_LEVEL: 'ERROR' },
});
const zeebe = c8.getZeebeGrpcApiClient();

afterAll(async () => {
  await zeebe.close();
});

describe('Zeebe smoke (real broker from the stack)', () => {
  it('reports a topology with one healthy partition', async () => {
    const topology = await zeebe.topology();
    expect(topology.brokers).toHaveLength(1);
    expect(topology.brokers[0]?.partitions[0]?.health).toBe('HEALTHY');
    // The local stack runs the configured version; an external cluster runs its own.
    if (!config.ZEEBE_ADDRESS) expect(topology.gatewayVersion).toBe(config.ZEEBE_VERSION);
  });

  it('deploys a one-task model, completes its job from a worker and correlates a message to the waiting instance', async () => {
    const deployed = await zeebe.deployResource({
      processFilename: path.join(projectRoot, 'test/fixtures/smoke-one-task.bpmn'),
    });
    expect(deployed.deployments[0]?.process.bpmnProcessId).toBe('smoke-one-task');

    const smokeKey = randomUUID();
    const jobsSeen: string[] = [];
    const worker = zeebe.createWorker({
      taskType: 'smoke-work',
      fetchVariable: ['smokeKey'],
      taskHandler: (job) => {
        // Another run's leftover instance may reach this worker too; complete it all the same.
        jobsSeen.push(String(job.variables.smokeKey));
        return job.complete({ workedBy: 'typescript-worker' });
      },
    });
    try {
      const finished = zeebe.createProcessInstanceWithResult({
        bpmnProcessId: 'smoke-one-task',
        variables: { smokeKey },
        requestTimeout: 45_000,
      });
      await expect.poll(() => jobsSeen.includes(smokeKey), { timeout: 20_000 }).toBe(true);
      await zeebe.publishMessage({
        name: 'smoke-proceed',
        correlationKey: smokeKey,
        variables: { proceededWith: 'message' },
        timeToLive: 30_000,
      });
      const result = await finished;
      expect(result.variables).toMatchObject({ smokeKey, workedBy: 'typescript-worker', proceededWith: 'message' });
    } finally {
      worker.close();
    }
  });
});
