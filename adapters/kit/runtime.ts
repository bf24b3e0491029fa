/**
 * Runs one adapter: what every adapter gets without writing it (docs/adapters.md).
 *
 * Out (hub → legacy system): a Kafka consumer of the dispatched topics of the units the system
 * stands for (group adapter.<name>). Each event is validated, skipped when already delivered
 * (adapter_delivery, by event id), mapped, and sent through the transport; a failure the system
 * may get over (down, slow, busy) is retried with exponential backoff when the call is idempotent,
 * then dead-lettered with the reason. Kafka's key is the order number and a partition is handled
 * in order, so one order's events reach the system in the order the hub sent them.
 *
 * In (legacy system → hub): the transport hands each message of the system to the inbound
 * mapper; the canonical events it makes are validated (type, version, payload, the unit is one
 * the adapter stands for) and written to the unit's topic, keyed by order number. Their ids come
 * from the system's own ids, so a message sent twice is applied once by the hub. A message the
 * mapper refuses is dead-lettered, and the system told why.
 *
 * Logs carry the adapter's name, the order number, the event id and the correlation id; the
 * counters are hub_adapter_messages_total{adapter, direction, outcome}.
 */
import type { Kafka, Producer } from 'kafkajs';
import { EventParseError, messageKeyOf, parseEnvelope, partnerTopics, unitTopics, type Envelope } from '../../domain/events.js';
import type { AdapterDeliveries } from '../../infra/db/adapter-deliveries.js';
import type { DeadLetterStore } from '../../infra/db/dead-letters.js';
import { describeError, HubError, isRetriable } from '../../infra/errors.js';
import type { Logger } from '../../infra/log.js';
import { metrics as processMetrics, type Metrics } from '../../infra/metrics.js';
import { retryDelayMs } from '../../infra/outbox/retry-policy.js';
import { CONSUMER_MAX_WAIT_MS, readFromNowOn, runConsumer } from '../../infra/kafka.js';
import { deadLetter } from './dead-letter.js';
import { adapterSettings, kitSettings } from './settings.js';
import { MappingError, type AdapterDefinition, type LegacyMessage } from './types.js';
import { contextOf, inSpan, kafkaMessaging, SpanKind } from '../../infra/tracing.js';

export interface KitContext {
  kafka: Kafka;
  /** The hub's shared idempotent producer (renewed after a Kafka failover cost it its sequence numbers). */
  producer: Pick<Producer, 'send' | 'sendBatch'>;
  deliveries: AdapterDeliveries;
  deadLetters: DeadLetterStore;
  log: Logger;
  /** The ADAPTER_* variables (Config.adapterEnv). */
  env: Readonly<Record<string, string>>;
  metrics?: Metrics;
}

export interface RunningAdapter {
  name: string;
  close(): Promise<void>;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** The canonical events an inbound or answer mapper made, checked against what the adapter may write. */
function checked<S extends Record<string, unknown>>(def: AdapterDefinition<S, unknown, unknown>, units: Set<string>, events: Envelope[]): Envelope[] {
  return events.map((e) => {
    const version = def.manifest.writes[e.type];
    if (version === undefined) throw new MappingError(`${def.manifest.name} made a ${e.type} event, which its manifest does not list in writes`);
    let parsed: Envelope;
    try {
      parsed = parseEnvelope(JSON.stringify(e));
    } catch (err) {
      throw new MappingError(`${def.manifest.name} made an invalid ${e.type} event: ${describeError(err)}`);
    }
    if (parsed.version !== version) throw new MappingError(`${def.manifest.name} speaks ${e.type} version ${version}, not ${parsed.version}`);
    const p = parsed.payload as { unit?: string; partner?: string };
    const unit = p.unit ?? p.partner;
    if (!unit || !units.has(unit)) throw new MappingError(`${def.manifest.name} stands for ${[...units].join(', ')}, not for ${unit ?? 'no unit'}`);
    return parsed;
  });
}

export async function startAdapter<S extends Record<string, unknown>, Call, Answer>(def: AdapterDefinition<S, Call, Answer>, ctx: KitContext): Promise<RunningAdapter> {
  const { name } = def.manifest;
  const settings = adapterSettings(name, def.settings, ctx.env);
  const kit = adapterSettings(name, kitSettings, ctx.env);
  const units = new Set(def.manifest.units(settings));
  const log = ctx.log.child({ adapter: name });
  const metrics = ctx.metrics ?? processMetrics;
  const count = (direction: 'out' | 'in', outcome: string, by = 1): void =>
    metrics.inc('hub_adapter_messages_total', 'Messages an adapter handled, by direction (out: hub → system, in: system → hub) and outcome', { adapter: name, direction, outcome }, by);
  const dl = { deadLetters: ctx.deadLetters, producer: ctx.producer, log };
  const transport = def.transport(settings, log);
  let stopping = false;

  const publish = async (events: Envelope[]): Promise<void> => {
    if (events.length === 0) return;
    const byTopic = new Map<string, Envelope[]>();
    for (const e of events) {
      const p = e.payload as { unit?: string; partner?: string };
      // A unit's answers go on its reply topic; an emergency line's (acknowledgements, transfers) on its events topic.
      const topic = p.partner !== undefined ? partnerTopics(p.partner).events : unitTopics(p.unit!).replied;
      byTopic.set(topic, [...(byTopic.get(topic) ?? []), e]);
    }
    await ctx.producer.sendBatch({
      topicMessages: [...byTopic].map(([topic, list]) => ({
        topic,
        messages: list.map((e) => ({ key: messageKeyOf(e), value: JSON.stringify(e), headers: { 'event-id': e.id, 'event-type': e.type, adapter: name, ...(e.correlationId ? { 'correlation-id': e.correlationId } : {}) } })),
      })),
    });
  };

  // In: the system's messages, through the inbound mapper, onto the units' topics.
  let received = 0;
  if (transport.listen) {
    await transport.listen(async (m: LegacyMessage) => {
      let events: Envelope[];
      try {
        events = checked(def as never, units, def.inbound(m, settings));
      } catch (err) {
        if (!(err instanceof MappingError || err instanceof EventParseError)) throw err;
        count('in', 'dead-lettered');
        await deadLetter(dl, name, { topic: `legacy:${name}`, partition: -1, message: { offset: `${Date.now()}-${++received}`, key: null, value: m.body, headers: m.contentType ? { 'content-type': m.contentType } : {} } }, describeError(err));
        throw err;
      }
      await publish(events);
      count('in', 'forwarded', events.length);
      for (const e of events) log.info({ orderNo: e.orderNo, eventId: e.id, type: e.type }, 'legacy message forwarded to the hub');
    });
  }

  // Out: the units' dispatched orders, through the outbound mapper, to the system.
  const groupId = kit.GROUP_ID ?? `adapter.${name}`;
  const topics = def.manifest.readTopics?.(settings) ?? [...units].map((u) => unitTopics(u).dispatched);
  const consumer = ctx.kafka.consumer({ groupId, maxWaitTimeInMs: CONSUMER_MAX_WAIT_MS });
  // From now on at the first start; from where it stopped after that, never skipping what came meanwhile.
  const fromNowOn = await readFromNowOn(ctx.kafka, consumer, groupId, topics).catch((err: unknown) => {
    log.warn({ groupId, err: describeError(err) }, 'could not read the new consumer group\'s offsets: it starts at the end of its topics');
    return undefined;
  });
  await consumer.connect();
  await consumer.subscribe({ topics, fromBeginning: false });
  const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
  const running = await runConsumer(consumer, {
    partitionsConsumedConcurrently: 3,
    eachMessage: ({ topic, partition, message, heartbeat }) =>
      inSpan(`process ${topic}`, { kind: SpanKind.CONSUMER, parent: contextOf(message.headers?.traceparent?.toString()), attributes: { ...kafkaMessaging('process', topic, { group: groupId, partition, offset: message.offset }), 'hub.adapter': name } }, async (span) => {
        const src = { topic, partition, message };
        let env: Envelope;
        try {
          env = parseEnvelope(message.value);
        } catch (err) {
          count('out', 'dead-lettered');
          await deadLetter(dl, name, src, describeError(err));
          return;
        }
        const mlog = log.child({ orderNo: env.orderNo, eventId: env.id, correlationId: env.correlationId });
        span.setAttributes({ 'hub.order_no': env.orderNo ?? '', 'hub.event.type': env.type, 'hub.event.id': env.id });
        const version = def.manifest.reads[env.type];
        if (version === undefined) {
          count('out', 'ignored');
          return;
        }
        if (version !== env.version) {
          count('out', 'dead-lettered');
          await deadLetter(dl, name, src, `${name} speaks ${env.type} version ${version}, not ${env.version}`);
          return;
        }
        if (await ctx.deliveries.delivered(name, env.id)) {
          count('out', 'duplicate');
          mlog.info('event delivered to the system before; not sent again');
          return;
        }
        let out: ReturnType<typeof def.outbound>;
        try {
          out = def.outbound(env, settings);
        } catch (err) {
          if (!(err instanceof HubError) || isRetriable(err)) throw err;
          count('out', 'dead-lettered');
          await deadLetter(dl, name, src, describeError(err));
          return;
        }
        if (out.kind === 'skip') {
          count('out', 'skipped');
          mlog.info({ reason: out.reason }, 'event not for the system');
          await ctx.deliveries.record(name, env.id, env.orderNo, 0);
          return;
        }
        let answer: Answer;
        let attempts = 0;
        for (let attempt = 1; ; attempt++) {
          attempts = attempt;
          try {
            answer = await transport.send(out.call, { eventId: env.id, orderNo: env.orderNo, correlationId: env.correlationId, attempt });
            break;
          } catch (err) {
            const again = isRetriable(err) && out.idempotent && attempt < kit.MAX_ATTEMPTS && !stopping;
            if (again) {
              count('out', 'retried');
              const wait = retryDelayMs({ initialMs: kit.RETRY_INITIAL_MS, factor: 2, maxMs: kit.RETRY_MAX_MS, jitter: 0.3, maxAttempts: kit.MAX_ATTEMPTS }, attempt);
              mlog.warn({ attempt, waitMs: wait, reason: describeError(err) }, 'legacy call failed; trying again');
              for (const end = Date.now() + wait; Date.now() < end && !stopping; ) {
                await sleep(Math.min(1000, end - Date.now()));
                await heartbeat().catch(() => undefined);
              }
              continue;
            }
            if (stopping) throw err; // not committed: the next start takes it up
            const why = !isRetriable(err) ? `the system refused it: ${describeError(err)}`
              : !out.idempotent ? `the call is not idempotent, so it was made once; check the system before replaying it: ${describeError(err)}`
              : `failed ${attempt} times: ${describeError(err)}`;
            count('out', 'dead-lettered');
            await deadLetter(dl, name, src, why);
            return;
          }
        }
        if (def.answered) {
          try {
            await publish(checked(def as never, units, def.answered(answer, env, settings)));
          } catch (err) {
            if (!(err instanceof MappingError)) throw err;
            mlog.error({ reason: describeError(err) }, 'the system took the call, but its answer was not understood');
          }
        }
        await ctx.deliveries.record(name, env.id, env.orderNo, attempts);
        count('out', 'delivered');
        mlog.info('event delivered to the system');
      }),
  }, log);
  await Promise.race([joined, sleep(30_000)]);
  await fromNowOn?.committed().then(
    (n) => n > 0 && log.info({ groupId, partitions: n }, 'first start of this consumer group: it reads what the hub sends from now on'),
    (err: unknown) => log.warn({ groupId, err: describeError(err) }, 'could not commit the new consumer group\'s starting offsets: stopped before a message comes, it would start at the end again'),
  );
  log.info({ units: [...units] }, 'adapter started');
  return {
    name,
    close: async () => {
      stopping = true;
      running.stop();
      await consumer.disconnect();
      await transport.close();
    },
  };
}
