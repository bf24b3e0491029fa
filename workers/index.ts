/** The registry: task type (= file name = zeebe:taskDefinition type) → worker. */
import type { WorkerDefinition } from '../infra/engine/job-contract.js';
import answerNow from './answer-now.js';
import chaseOrder from './chase-order.js';
import classifyOrder from './classify-order.js';
import closeOrder from './close-order.js';
import dispatchOrder from './dispatch-order.js';
import redoOrder from './redo-order.js';
import requestCallback from './request-callback.js';
import reviewReply from './review-reply.js';

export const workers = {
  'answer-now': answerNow,
  'chase-order': chaseOrder,
  'classify-order': classifyOrder,
  'close-order': closeOrder,
  'dispatch-order': dispatchOrder,
  'redo-order': redoOrder,
  'request-callback': requestCallback,
  'review-reply': reviewReply,
} as unknown as Record<string, WorkerDefinition>;
