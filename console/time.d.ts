// Types of console/time.js (plain ES module, served as is), for the tests that import it.
type Instant = string | Date | null | undefined;
export function formatInstant(iso: Instant, timeZone: string, opts?: { seconds?: boolean }): string;
export function formatDay(iso: Instant, timeZone: string): string;
export function formatPeriod(from: Instant, to: Instant, timeZone: string): string;
export function zoneName(timeZone: string): string;
export function startOfDay(date: string, timeZone: string): Date;
export function monthOf(now: Date, timeZone: string): { from: string; to: string };
export function fromLocalInput(value: string, timeZone: string): string;
export function toLocalInput(iso: Instant, timeZone: string): string;
