/**
 * The versions of the models the hub runs (model_version): what a start deploys, what a process
 * owner deployed, what a rollback went back to. The repository's bpmn/ is where models begin; a
 * deploy from the console or the command line makes a newer version that later starts keep, until
 * a developer changes the repository's file, which then wins (and is recorded as such).
 */
import type { DataSource } from 'typeorm';
import type { Deployed, ModelResource } from '../engine/deploy.js';
import { sha256, type ModelVersion } from '../../usecases/ports.js';

export type { ModelVersion };

export { sha256 };

const COLUMNS = 'id, name, sha256, content, source, repo_sha256, engine, versions, deployed_by, deployed_at, note';
const rowOf = (r: Record<string, unknown>): ModelVersion => ({
  id: String(r.id),
  name: String(r.name),
  sha256: String(r.sha256),
  content: String(r.content),
  source: r.source as ModelVersion['source'],
  repoSha256: String(r.repo_sha256),
  engine: String(r.engine),
  versions: r.versions ? (JSON.parse(String(r.versions)) as Deployed) : null,
  deployedBy: String(r.deployed_by),
  deployedAt: new Date(r.deployed_at as string).toISOString(),
  note: (r.note as string | null) ?? null,
});

export class ModelStore {
  constructor(private readonly ds: DataSource) {}

  /** The version that runs now of each model, by file name. */
  async current(): Promise<Map<string, ModelVersion>> {
    const rows = (await this.ds.query(`SELECT ${COLUMNS} FROM model_version WHERE id IN (SELECT MAX(id) FROM model_version GROUP BY name) ORDER BY name`)) as Array<Record<string, unknown>>;
    return new Map(rows.map((r) => [String(r.name), rowOf(r)]));
  }

  /** One model's versions, newest first. */
  async history(name: string, limit = 50): Promise<ModelVersion[]> {
    return ((await this.ds.query(`SELECT ${COLUMNS} FROM model_version WHERE name = ? ORDER BY id DESC LIMIT ?`, [name, limit])) as Array<Record<string, unknown>>).map(rowOf);
  }

  async get(id: string): Promise<ModelVersion | null> {
    const rows = (await this.ds.query(`SELECT ${COLUMNS} FROM model_version WHERE id = ?`, [id])) as Array<Record<string, unknown>>;
    return rows[0] ? rowOf(rows[0]) : null;
  }

  async record(v: { name: string; content: string; source: ModelVersion['source']; repoSha256: string; engine: string; versions: Deployed | null; deployedBy: string; note?: string | null }): Promise<string> {
    const r = (await this.ds.query(
      'INSERT INTO model_version (name, sha256, content, source, repo_sha256, engine, versions, deployed_by, deployed_at, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      [v.name, sha256(v.content), v.content, v.source, v.repoSha256, v.engine, v.versions ? JSON.stringify(v.versions) : null, v.deployedBy.slice(0, 100), new Date(), v.note?.slice(0, 500) ?? null],
    )) as { insertId: number | string };
    return String(r.insertId);
  }

  /**
   * 派单目录: the engine version of bpmn/dispatch.dmn whose content carries this mark (the first 16
   * hex digits of its SHA-256): the newest deployment of that content, since a rollback deploys an
   * earlier content as a new engine version.
   */
  async catalogueVersionOf(stamp: string): Promise<number | null> {
    if (!/^[0-9a-f]{16}$/.test(stamp)) return null;
    const [r] = (await this.ds.query("SELECT versions FROM model_version WHERE name = 'dispatch.dmn' AND sha256 LIKE ? ORDER BY id DESC LIMIT 1", [`${stamp}%`])) as Array<{ versions: string | null }>;
    const v = r?.versions ? (JSON.parse(String(r.versions)) as { decisions?: Record<string, number> }).decisions?.dispatch : undefined;
    return typeof v === 'number' ? v : null;
  }

  /**
   * What a start deploys: for each of the repository's models, the newest recorded version unless
   * the repository's file changed since it was recorded; `fromRepo` lists the ones taken from the
   * repository that differ from what was recorded (to record after the deployment).
   */
  async forStart(repo: ModelResource[]): Promise<{ resources: ModelResource[]; fromRepo: ModelResource[] }> {
    const current = await this.current();
    const resources: ModelResource[] = [];
    const fromRepo: ModelResource[] = [];
    for (const r of repo) {
      const cur = current.get(r.name);
      if (cur && cur.repoSha256 === sha256(r.content)) {
        resources.push({ name: r.name, content: cur.content });
      } else {
        resources.push(r);
        if (!cur || cur.sha256 !== sha256(r.content)) fromRepo.push(r);
      }
    }
    return { resources, fromRepo };
  }
}
