#!/usr/bin/env bash
# Runs a command with TEST_DATABASE_URL pointing at a PostgreSQL server.
#
#   scripts/with-postgres.sh CMD [ARGS...]
#
# When TEST_DATABASE_URL is already set (a server of your own), the command runs as is.
# When FANFOLD_PG_SERVER_URL is set (.ci/run sets it to the system cluster), it becomes
# TEST_DATABASE_URL for the command only: exported for the whole of `npm test`, it would
# also move the unit tests off PGlite, which must keep running on PGlite. Otherwise a throwaway cluster is made in a temporary directory from the Debian
# `postgresql` package's binaries, listening on 127.0.0.1 on a free port, and is stopped
# and deleted when the command ends; the command's exit code is passed on.
set -euo pipefail

if [[ $# -eq 0 ]]; then
  echo "usage: $0 COMMAND [ARGS...]" >&2
  exit 2
fi

if [[ -n "${TEST_DATABASE_URL:-}" ]]; then
  exec "$@"
fi
if [[ -n "${FANFOLD_PG_SERVER_URL:-}" ]]; then
  TEST_DATABASE_URL="$FANFOLD_PG_SERVER_URL" exec "$@"
fi

bindir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
if [[ -z "$bindir" || ! -x "$bindir/initdb" || ! -x "$bindir/pg_ctl" ]]; then
  echo "with-postgres: no PostgreSQL server found in /usr/lib/postgresql/*/bin." >&2
  echo "with-postgres: install it (Debian/Ubuntu: sudo apt-get install postgresql)," >&2
  echo "with-postgres: or set TEST_DATABASE_URL=postgres://USER:PASSWORD@HOST:PORT/postgres (a superuser)." >&2
  exit 1
fi

# initdb and postgres refuse to run as root: as root, the cluster belongs to `postgres`.
as_owner=()
if [[ "$(id -u)" -eq 0 ]]; then
  if ! id -u postgres >/dev/null 2>&1; then
    echo "with-postgres: running as root but there is no 'postgres' user to own the cluster." >&2
    exit 1
  fi
  as_owner=(runuser -u postgres --)
fi

tmp="$(mktemp -d "${TMPDIR:-/tmp}/fanfold-pg.XXXXXX")"
chmod 700 "$tmp"
[[ ${#as_owner[@]} -gt 0 ]] && chown postgres: "$tmp"

started=0
cleanup() {
  if [[ $started -eq 1 ]]; then
    (cd "$tmp" && "${as_owner[@]}" "$bindir/pg_ctl" -D "$tmp/data" -m immediate -w stop >/dev/null 2>&1) || true
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# A free port: ask the kernel for one, then let postgres take it (retried below on a race).
free_port() {
  node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"
}

user=fanfold_test
password="$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
printf '%s\n' "$password" >"$tmp/pwfile"
[[ ${#as_owner[@]} -gt 0 ]] && chown postgres: "$tmp/pwfile"

# cd into the temp dir: as `postgres` the caller's directory may not be readable.
(cd "$tmp" && "${as_owner[@]}" "$bindir/initdb" -D "$tmp/data" -U "$user" --pwfile="$tmp/pwfile" \
  --auth-local=scram-sha-256 --auth-host=scram-sha-256 --encoding=UTF8 --locale=C.UTF-8 >"$tmp/initdb.log" 2>&1) || {
  cat "$tmp/initdb.log" >&2
  echo "with-postgres: initdb failed." >&2
  exit 1
}
rm -f "$tmp/pwfile"

port=""
for _ in 1 2 3 4 5; do
  port="$(free_port)"
  # fsync off: the cluster is thrown away, so durability buys nothing but time.
  if (cd "$tmp" && "${as_owner[@]}" "$bindir/pg_ctl" -D "$tmp/data" -l "$tmp/server.log" -w -t 60 \
    -o "-p $port -c listen_addresses=127.0.0.1 -c unix_socket_directories='$tmp' -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
    start >/dev/null 2>&1); then
    started=1
    break
  fi
  port=""
done
if [[ $started -ne 1 ]]; then
  cat "$tmp/server.log" >&2 || true
  echo "with-postgres: could not start PostgreSQL from $bindir." >&2
  exit 1
fi

export TEST_DATABASE_URL="postgres://$user:$password@127.0.0.1:$port/postgres"
version="${bindir#/usr/lib/postgresql/}"
echo "with-postgres: throwaway PostgreSQL ${version%/bin} on 127.0.0.1:$port (data in $tmp, deleted on exit)" >&2

status=0
"$@" || status=$?
exit "$status"
