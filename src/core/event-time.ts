/**
 * The time of the event being handled: performance.now() read once per socket read, as nginx
 * reads its clock once per turn of its event loop (ngx_time_update() after epoll_wait) and every
 * handler of that turn uses the cached ngx_current_msec.
 *
 *   eventNow()               inside a read: the time the read was delivered; elsewhere: now
 *   atEvent(fn, a, b)        runs fn(a, b) with the clock held at the time it started
 *
 * A proxied request read the clock about ten times (its start, the upstream's connect, header
 * and response times, each deadline armed): 5% of the balancer's user time under load went to
 * clock_gettime. Held per read, it reads the clock twice (the request's read, the answer's).
 * A time taken inside a read is at most that read's handling old: microseconds.
 */

let held = 0;
let depth = 0;

/** performance.now(), or the time the socket read being handled was delivered. */
export function eventNow(): number {
  return depth === 0 ? performance.now() : held;
}

/** Calls `fn(a, b)` with eventNow() held at the time of the call (nested calls keep the outer time). */
export function atEvent<A, B>(fn: (a: A, b: B) => void, a: A, b: B): void {
  if (depth === 0) held = performance.now();
  depth++;
  try {
    fn(a, b);
  } finally {
    depth--;
  }
}
