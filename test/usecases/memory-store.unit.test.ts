/**
 * The in-memory order store the use-case unit tests run on keeps what the MySQL store keeps: the
 * same suite runs on both (test/support/order-store-contract.ts).
 */
import { MemoryOrderStore } from '../support/memory-store.js';
import { describeOrderStore } from '../support/order-store-contract.js';

// One store for the suite, as the MySQL one shares its database: each case makes its own orders.
const store = new MemoryOrderStore();
describeOrderStore('in memory', {
  store: () => store,
  count: async (what, key) =>
    what === 'outbox' ? store.state.outbox.filter((m) => m.dedupKey === key).length : what === 'inbox' ? store.state.inbox.filter((i) => i.messageId === key).length : store.state.history.filter((h) => h.dedupKey === key).length,
});
