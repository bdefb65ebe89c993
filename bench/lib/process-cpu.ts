// CPU time used by process trees (a server and its cluster workers, a PostgreSQL postmaster and
// its backends), read from /proc. On a machine shared with other work, CPU per request holds
// steady where requests per second do not: it is what the request costs, not what it was given.
import fs from 'node:fs';

/** Clock ticks per second of /proc's times (USER_HZ: 100 on Linux on every common architecture). */
const TICKS = 100;

interface ProcStat {
  ppid: number;
  ticks: number;
}

function readStat(pid: number): ProcStat | undefined {
  try {
    const text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name is in parentheses and may hold spaces: count fields after its closing one.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    // fields[0] is the state (field 3); ppid is field 4, utime 14, stime 15.
    return { ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) };
  } catch {
    return undefined;
  }
}

/** CPU ticks (user + system) of each living process in the trees rooted at `roots`. */
export function snapshotTrees(roots: number[]): Map<number, number> {
  const stats = new Map<number, ProcStat>();
  if (!fs.existsSync('/proc/self/stat')) return new Map();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readStat(Number(entry));
    if (stat) stats.set(Number(entry), stat);
  }
  const children = new Map<number, number[]>();
  for (const [pid, stat] of stats) {
    const list = children.get(stat.ppid) ?? [];
    list.push(pid);
    children.set(stat.ppid, list);
  }
  const ticks = new Map<number, number>();
  const stack = roots.filter((pid) => stats.has(pid));
  while (stack.length > 0) {
    const pid = stack.pop()!;
    if (ticks.has(pid)) continue;
    ticks.set(pid, stats.get(pid)!.ticks);
    stack.push(...(children.get(pid) ?? []));
  }
  return ticks;
}

/**
 * Seconds of CPU the trees used between two snapshots: each process's growth, a process born
 * in between counted whole. A process that ended in between (an idle pooled connection closed)
 * is left out rather than subtracted.
 */
export function cpuSecondsBetween(before: Map<number, number>, after: Map<number, number>): number {
  let ticks = 0;
  for (const [pid, now] of after) ticks += now - (before.get(pid) ?? 0);
  return ticks / TICKS;
}

/** The parent of a process (for a PostgreSQL backend: its postmaster), or undefined. */
export function parentOf(pid: number): number | undefined {
  return readStat(pid)?.ppid;
}
