// Tasks that misbehave the way a parser caught by hostile input does, for the worker pool's tests.
/** Spins without yielding for `ms` (forever when negative), like an endless loop. */
export function spin({ ms }) {
  const until = ms < 0 ? Infinity : Date.now() + ms;
  while (Date.now() < until) {
    // never yields
  }
  return { ok: true, value: ms };
}

/** Allocates until the heap limit ends the worker. */
export function hoard() {
  const kept = [];
  for (;;) kept.push(new Array(1_000_000).fill(kept.length));
}

/** Answers at once: the pool still works after a worker was replaced. */
export function echo(value) {
  return { ok: true, value };
}

/** Refuses its input with a message for a person, as a parser does. */
export function refuse({ message }) {
  return { ok: false, kind: 'ImportError', message };
}
