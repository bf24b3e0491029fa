/**
 * Which hub a `hub` command talks to through the API (hub/remote.ts): HUB_URL with HUB_API_KEY, or
 * a profile as c8ctl keeps them, the key in a file of its own; anything missing said by name.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { remoteHub, RemoteUsageError } from '../../hub/remote.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hub-profiles-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const file = path.join(dir, 'profiles.json');
fs.writeFileSync(path.join(dir, 'tianjin.key'), 'hub_abc_secret\n');
fs.writeFileSync(file, JSON.stringify({ tianjin: { url: 'https://hub.tianjin.example/', keyFile: 'tianjin.key' }, broken: { url: 'https://x.example', keyFile: 'missing.key' } }));

describe('the hub a command talks to', () => {
  it('is the database when nothing names one, HUB_URL with its key, or a profile with its key file', () => {
    expect(remoteHub({})).toBeUndefined();
    expect(remoteHub({ HUB_URL: 'http://127.0.0.1:3000/', HUB_API_KEY: ' k ' })).toEqual({ url: 'http://127.0.0.1:3000', key: 'k' });
    expect(remoteHub({ HUB_PROFILE: 'tianjin', HUB_PROFILES_FILE: file })).toEqual({ url: 'https://hub.tianjin.example', key: 'hub_abc_secret' });
  });

  it.each([
    [{ HUB_URL: 'http://127.0.0.1:3000' }, /HUB_API_KEY is not/],
    [{ HUB_URL: 'hub.example', HUB_API_KEY: 'k' }, /HUB_URL must be the hub's address/],
    [{ HUB_PROFILE: 'beijing', HUB_PROFILES_FILE: file }, /no profile "beijing".*there are: tianjin, broken/],
    [{ HUB_PROFILE: 'broken', HUB_PROFILES_FILE: file }, /cannot read its keyFile missing\.key \(ENOENT\)/],
    [{ HUB_PROFILE: 'tianjin', HUB_PROFILES_FILE: path.join(dir, 'none.json') }, /cannot read .*none\.json \(ENOENT\)/],
    [{ HUB_PROFILE: 'tianjin', HUB_URL: 'http://x', HUB_PROFILES_FILE: file }, /set one of them, not both/],
  ])('says what is missing: %j', (env, said) => {
    expect(() => remoteHub(env)).toThrow(RemoteUsageError);
    expect(() => remoteHub(env)).toThrow(said);
  });
});
