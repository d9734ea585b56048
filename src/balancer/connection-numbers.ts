/**
 * Connection numbers as nginx gives them (c->number: the `*N` of error lines, $connection): one
 * counter, from 1, taken by every accepted client connection (ngx_event_accept) and every new
 * connection to an upstream (ngx_event_connect_peer), in the order they happen. A cached
 * keep-alive connection takes none. nginx keeps the counter in shared memory for all its
 * workers; each lbtest worker is a process of its own, so with several workers the numbers are
 * per worker.
 */
let next = 1;

export function takeConnectionNumber(): number {
  return next++;
}
