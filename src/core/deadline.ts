/**
 * A timeout re-armed by writing a number, not by a Node timer call.
 *
 *   const d = new Deadline(onFire); d.arm(60_000); ... d.arm(60_000); d.disarm(); d.dispose();
 *
 * A proxied request armed or refreshed four Node timers (a client connection's waits, the
 * upstream connection's connect, read and idle timeouts), and libuv reads the clock for each
 * (getLibuvNow(): uv_update_time()); refreshing one also moves it in Node's timer lists.
 */
import { eventNow } from './event-time.js';

/**
 * A timeout that fires `onFire` once `ms` have passed since the last arm() without a disarm().
 * Arming moves a deadline; the one Node timer under it is set again only when it would fire after
 * the new deadline, and otherwise, when it fires early, is set for the time left. Armed for the
 * same durations over and over (a keep-alive connection's waits), it costs no timer call at all.
 * It never fires early (counted from the event that armed it: event-time.ts); it may fire a
 * little late, as nginx's timers may (nginx does not move a timer for less than 300 ms).
 */
export class Deadline {
  #timer: NodeJS.Timeout | null = null;
  /** When the Node timer fires, on performance.now()'s clock; Infinity with none set. */
  #fireAt = Infinity;
  /** When onFire is due; Infinity when disarmed. */
  #due = Infinity;
  readonly #onFire: () => void;
  readonly #check = (): void => {
    this.#timer = null;
    this.#fireAt = Infinity;
    if (this.#due === Infinity) return;
    const now = eventNow();
    const left = this.#due - now;
    // early: re-armed since it was set, or Node's whole milliseconds of libuv's clock
    if (left > 0) {
      this.#set(Math.ceil(left), now);
      return;
    }
    this.#due = Infinity;
    this.#onFire();
  };

  constructor(onFire: () => void) {
    this.#onFire = onFire;
  }

  arm(ms: number): void {
    const now = eventNow();
    this.#due = now + ms;
    if (this.#fireAt <= this.#due) return;
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#set(ms, now);
  }

  disarm(): void {
    this.#due = Infinity;
  }

  get isArmed(): boolean {
    return this.#due !== Infinity;
  }

  /** Disarms and lets go of the Node timer (the owner is closing). */
  dispose(): void {
    this.#due = Infinity;
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    this.#fireAt = Infinity;
  }

  #set(ms: number, now: number): void {
    this.#timer = setTimeout(this.#check, ms);
    this.#timer.unref();
    this.#fireAt = now + ms;
  }
}
