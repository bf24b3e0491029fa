/** The configuration's refusal of `env` as its message ('' when it is accepted): what an operator reads at start. */
import { expect } from 'vitest';
import { ConfigError, loadConfig } from '../../infra/config.js';

export function configProblems(env: Record<string, string>): string {
  try {
    loadConfig(env);
    return '';
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as ConfigError).message;
  }
}
