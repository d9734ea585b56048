/**
 * Time as nginx's event loop keeps it: read once per turn of the loop and shared by everything
 * that turn handles (ngx_time_update() after each epoll_wait(); ngx_current_msec in between).
 *
 *   loopNow()                 performance.now() as of this turn's first reading
 *   new Deadline(onFire)      a timeout re-armed by writing a number, not by a Node timer call
 *
 * A proxied request read the clock twelve times: request and upstream timings, the Date header,
 * and each Node timer armed or refreshed (libuv reads the clock for every one). The first reading
 * in a turn is cached and dropped at the turn's check phase (one setImmediate per turn that read
 * it). While a reading is cached, an immediate is pending, so the loop does not block in its poll
 * phase with a stale time: a reading is never older than the turn's own work.
 */

let cached = -1;

function forget(): void {
  cached = -1;
}

/** Monotonic milliseconds (performance.now()'s origin), as of this turn of the event loop. */
export function loopNow(): number {
  if (cached < 0) {
    cached = performance.now();
    setImmediate(forget);
  }
  return cached;
}

/**
 * A timeout that fires `onFire` once `ms` have passed since the last arm() without a disarm().
 * Arming moves a deadline; the one Node timer under it is set again only when it would fire after
 * the new deadline, and otherwise, when it fires early, is set for the time left. Armed for the
 * same durations over and over (a keep-alive connection's waits), it costs no timer call at all.
 * It never fires early; it may fire a little late, as nginx's timers may (nginx does not move a
 * timer for less than 300 ms). Times count from the turn's clock, as nginx's count from its.
 */
export class Deadline {
  #timer: NodeJS.Timeout | null = null;
  /** When the Node timer fires, on loopNow()'s clock; Infinity with none set. */
  #fireAt = Infinity;
  /** When onFire is due; Infinity when disarmed. */
  #due = Infinity;
  readonly #onFire: () => void;
  readonly #check = (): void => {
    this.#timer = null;
    this.#fireAt = Infinity;
    if (this.#due === Infinity) return;
    const now = loopNow();
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
    const now = loopNow();
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
