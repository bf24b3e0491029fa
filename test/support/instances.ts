/**
 * Process instances a test or the bench leaves waiting (for replies that never come): cancelled,
 * so that their timers do not fire when a later test moves the engine's clock, and their jobs do
 * not queue ahead of the next test's.
 */
import { Camunda8 } from '@camunda8/sdk';
import { camunda7RestUrl, zeebeAddress, type Config } from '../../infra/config.js';

export async function runPool<T>(items: T[], concurrency: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, async () => {
    while (next < items.length) await fn(items[next++]!);
  }));
}

/** Cancels each instance (an engine's own key); one already ended is left as it is. */
export async function cancelInstances(config: Config, engine: Config['HUB_ENGINE'], keys: string[]): Promise<void> {
  if (keys.length === 0) return;
  if (engine === 'camunda7') {
    const rest = camunda7RestUrl(config);
    await runPool(keys, 20, async (k) => void (await fetch(`${rest}/process-instance/${k}?skipCustomListeners=true`, { method: 'DELETE' }).catch(() => undefined)));
    return;
  }
  const zeebe = new Camunda8({ ZEEBE_GRPC_ADDRESS: `grpc://${zeebeAddress(config)}`, CAMUNDA_AUTH_STRATEGY: 'NONE', zeebeGrpcSettings: { ZEEBE_CLIENT_LOG_LEVEL: 'NONE' } }).getZeebeGrpcApiClient();
  try {
    await runPool(keys, 20, async (k) => void (await zeebe.cancelProcessInstance(k).catch(() => undefined)));
  } finally {
    await zeebe.close();
  }
}
