/**
 * What a job worker sees, whichever engine runs the model: variables in (validated), and out
 * either the variables to complete with, a BusinessError (a BPMN error code the model catches),
 * or any other error (retried with a backoff when retriable, else an incident). No engine types:
 * the Zeebe binding (zeebe-jobs.ts) and any other binding serve the same workers.
 */
import type { z } from 'zod';
import { HubError } from '../errors.js';
import type { Config } from '../config.js';
import type { OrderStore } from '../db/orders.js';
import type { KnowledgeStore } from '../db/knowledge.js';
import type { TrailRecorder } from '../db/trail.js';
import type { BusinessCalendar } from '../../domain/calendar.js';
import type { Catalog } from '../../domain/catalog.js';
import type { ReplyVerdict } from '../../domain/reply-quality.js';
import type { SpotCheckDraw, SpotCheckSubject } from '../../domain/spot-checks.js';
import type { Logger } from '../log.js';
import type { CatalogueVersions, DutyRota, IncidentRef } from '../../usecases/ports.js';

export type { IncidentRef };

export type { Decide } from '../../usecases/ports.js';

/** The engine could not evaluate the decision (not deployed, or a rule that fails on these inputs): a model to correct. */
export class DecisionFailed extends HubError {
  constructor(decisionId: string, why: string) {
    super('DECISION_FAILED', `decision "${decisionId}" could not be evaluated: ${why}; correct bpmn/${decisionId}.dmn (or deploy it) and replay the dead letter`, false);
  }
}

/** Decision id → the version the engine evaluates (as deployed by this hub at start). */
export type DecisionVersions = Readonly<Record<string, number>>;

export interface WorkerDeps {
  store: OrderStore;
  catalog: Catalog;
  /** The working-day calendar deadlines are counted with. */
  calendar: BusinessCalendar;
  config: Config;
  log: Logger;
  now: () => Date;
  /** The deployed version of each decision: an order records which dispatch catalogue placed it. */
  decisions?: DecisionVersions;
  /** 知识库: what an order answered at once cites. */
  knowledge?: KnowledgeStore;
  /** The order trail: each job's outcome, for operators (hub trace, hub stuck). */
  trail?: TrailRecorder;
  /** 值班: who an escalation goes to (else the catalogue's duty leader address). */
  rota?: DutyRota;
  /** 派单目录: the engine version of the dispatch table the engine evaluated, from its mark. */
  catalogues?: CatalogueVersions;
  /** 答非所问: the verdict on a unit's answer to a request (REPLY_QUALITY_FILE, jieba's terms). */
  replyQuality?: (request: string, answer: string) => ReplyVerdict;
  /** 抽查: whether a closing order is drawn for a supervisor's quality check (SPOT_CHECK_FILE, a fresh draw each call). */
  spotCheck?: (o: SpotCheckSubject) => SpotCheckDraw;
}

export interface JobContext {
  taskType: string;
  /** Same for every retry of one task, new for every visit of the task (a redo dispatches anew). */
  elementInstanceKey: string;
  processInstanceKey: string;
  /**
   * The dedup key of this visit's step: the same for every retry, new for every visit. It names
   * the order besides the engine's key: engine keys are counters that start again on a new broker
   * (a reset cluster, another environment), while the database keeps every key it has seen.
   */
  stepKey(step: string): string;
}

export const stepKeyOf = (step: string, orderNo: string, elementInstanceKey: string): string => `${step}:${orderNo}:${elementInstanceKey}`;

/** The context a binding hands a worker, from its engine's keys (made to strings: engines differ in their types). */
export const jobContext = (taskType: string, orderNo: string, elementInstanceKey: unknown, processInstanceKey: unknown): JobContext => ({
  taskType,
  elementInstanceKey: String(elementInstanceKey),
  processInstanceKey: String(processInstanceKey),
  stepKey: (step) => stepKeyOf(step, orderNo, String(elementInstanceKey)),
});

export type JobHandler<S extends z.ZodType> = (vars: z.output<S>, job: JobContext) => Promise<Record<string, unknown>>;

export interface WorkerDefinition<S extends z.ZodType = z.ZodType> {
  /** The job variables the worker needs, validated before the handler runs. */
  variables: S;
  /**
   * The variables it completes the job with, and no others (the job loop makes any other an
   * incident): what a model may read after the task, and the outputs of its element template.
   */
  outputs?: z.ZodObject;
  /** The BPMN error codes it may throw (BusinessError) for the model to catch; any other is an incident. */
  errors?: readonly string[];
  create(deps: WorkerDeps): JobHandler<S>;
}

export const defineWorker = <S extends z.ZodType>(def: WorkerDefinition<S>): WorkerDefinition<S> => def;
