/** The registry: task type (= file name = zeebe:taskDefinition type) → worker. */
import type { WorkerDefinition } from '../infra/engine/job-contract.js';
import alertEmergency from './alert-emergency.js';
import answerNow from './answer-now.js';
import chaseAcknowledge from './chase-acknowledge.js';
import chaseOrder from './chase-order.js';
import classifyOrder from './classify-order.js';
import closeOrder from './close-order.js';
import closeTransferred from './close-transferred.js';
import conveneUnits from './convene-units.js';
import chaseProgress from './chase-progress.js';
import dispatchOrder from './dispatch-order.js';
import escalateOnSite from './escalate-on-site.js';
import extendDeadline from './extend-deadline.js';
import forwardOrder from './forward-order.js';
import handOverEmergency from './hand-over-emergency.js';
import planProgress from './plan-progress.js';
import helperTimeout from './helper-timeout.js';
import redoOrder from './redo-order.js';
import referOrder from './refer-order.js';
import remindUnit from './remind-unit.js';
import requestCallback from './request-callback.js';
import reviewReply from './review-reply.js';
import conveneConsultation from './convene-consultation.js';
import openRedispatch from './open-redispatch.js';
import superviseOrder from './supervise-order.js';
import superviseRedos from './supervise-redos.js';

export const workers = {
  'alert-emergency': alertEmergency,
  'answer-now': answerNow,
  'chase-acknowledge': chaseAcknowledge,
  'chase-order': chaseOrder,
  'classify-order': classifyOrder,
  'close-order': closeOrder,
  'close-transferred': closeTransferred,
  'convene-units': conveneUnits,
  'convene-consultation': conveneConsultation,
  'open-redispatch': openRedispatch,
  'chase-progress': chaseProgress,
  'dispatch-order': dispatchOrder,
  'escalate-on-site': escalateOnSite,
  'extend-deadline': extendDeadline,
  'forward-order': forwardOrder,
  'hand-over-emergency': handOverEmergency,
  'plan-progress': planProgress,
  'helper-timeout': helperTimeout,
  'redo-order': redoOrder,
  'refer-order': referOrder,
  'remind-unit': remindUnit,
  'request-callback': requestCallback,
  'review-reply': reviewReply,
  'supervise-order': superviseOrder,
  'supervise-redos': superviseRedos,
} as unknown as Record<string, WorkerDefinition>;
