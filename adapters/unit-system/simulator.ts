/**
 * A stand-in for a unit's own system, for tests and the demo: it consumes dispatched orders and,
 * after a delay, answers each with a reply on the inbound topic. Run it as its own process:
 *   npx tsx adapters/unit-system/simulator.ts [--delay-ms 500] [--units water-group,gas-group]
 */
import { Command } from 'commander';
import { Partitioners } from 'kafkajs';
import path from 'node:path';
import { loadCatalog } from '../../domain/catalog.js';
import { kafkaBrokers, loadConfig, projectRoot } from '../../infra/config.js';
import { envelope, parseEnvelope, unitTopics } from '../../domain/events.js';
import { createKafka } from '../../infra/kafka.js';
import { manifest } from './manifest.js';

const opts = new Command('unit-system-simulator')
  .option('--delay-ms <ms>', 'how long a unit takes to reply', (v) => Number(v), 500)
  .option('--units <codes>', 'answer only for these units (comma-separated); all when left out')
  .option('--group <id>', 'consumer group id', 'unit-system-simulator')
  .parse()
  .opts<{ delayMs: number; units?: string; group: string }>();

const config = loadConfig();
const kafka = createKafka(config, 'unit-system-simulator');
const catalog = loadCatalog(path.resolve(projectRoot, config.CATALOG_FILE));
// Each unit's system reads its own topic only; the simulator stands in for the units it is told (all by default).
const units = opts.units ? opts.units.split(',') : catalog.units.map((u) => u.code);
const topics = units.map((u) => unitTopics(u).dispatched);
const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
const consumer = kafka.consumer({ groupId: opts.group });

await producer.connect();
// The hub creates each unit's topics when it starts; without them there is nothing to read yet.
const admin = kafka.admin();
await admin.connect();
const existing = new Set(await admin.listTopics());
await admin.disconnect();
const missing = topics.filter((t) => !existing.has(t));
if (missing.length > 0) {
  console.error(`unit-system simulator: ${missing.length} unit topic(s) do not exist yet (${missing.slice(0, 3).join(', ')}${missing.length > 3 ? ', …' : ''}): start the hub first (npm start creates every unit's topics), then the simulator.`);
  await producer.disconnect();
  process.exit(1);
}
await consumer.connect();
await consumer.subscribe({ topics, fromBeginning: false });
// Ready only once the group has partitions: an order dispatched before that would be missed.
consumer.on(consumer.events.GROUP_JOIN, () => {
  console.log(JSON.stringify({ msg: 'simulator ready', brokers: kafkaBrokers(config), topics }));
});
await consumer.run({
  eachMessage: async ({ message }) => {
    const event = parseEnvelope(message.value);
    if (event.type !== 'order.dispatched') return;
    const order = event.payload as { unit: string; unitName: string; title: string };
    await new Promise((r) => setTimeout(r, opts.delayMs));
    const reply = envelope('unit.replied', event.orderNo, { unit: order.unit, result: `已处理：${order.title}`, handledBy: `${order.unitName}值班员`, repliedAt: new Date().toISOString() }, manifest.name);
    await producer.send({ topic: unitTopics(order.unit).replied, messages: [{ key: event.orderNo, value: JSON.stringify(reply) }] });
    console.log(JSON.stringify({ msg: 'replied', orderNo: event.orderNo, unit: order.unit }));
  },
});
const stop = async (): Promise<void> => {
  await consumer.disconnect();
  await producer.disconnect();
  process.exit(0);
};
process.once('SIGINT', () => void stop());
process.once('SIGTERM', () => void stop());
