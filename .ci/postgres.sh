# Start a throw-away PostgreSQL server for the tests (sourced by .ci/run).
# Installs Debian's postgresql when the machine lacks it; exports CREATIVECITY_TEST_POSTGRES_URL.
PG_PORT="${PG_PORT:-55432}"
PG_DIR=""

start_postgres() {
  if ! ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1; then
    echo "ci: installing PostgreSQL from Debian's packages"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null 2>&1 || true
    apt-get install -y -qq --no-install-recommends postgresql >/dev/null
  fi
  local bindir
  bindir=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  PG_DIR=$(mktemp -d /tmp/cc-pg.XXXXXX)
  chown postgres:postgres "$PG_DIR" 2>/dev/null || true
  local as=()
  [ "$(id -u)" = 0 ] && as=(runuser -u postgres --)
  "${as[@]}" "$bindir/initdb" -D "$PG_DIR/data" -U postgres --auth=trust -E UTF8 >/dev/null
  "${as[@]}" "$bindir/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/log" -w \
    -o "-p $PG_PORT -k $PG_DIR -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null
  "${as[@]}" "$bindir/createdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres creativecity_test
  export CREATIVECITY_TEST_POSTGRES_URL="postgresql+psycopg://postgres@127.0.0.1:$PG_PORT/creativecity_test"
  echo "ci: PostgreSQL running on port $PG_PORT"
}

stop_postgres() {
  [ -n "$PG_DIR" ] || return 0
  local bindir as=()
  bindir=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  [ "$(id -u)" = 0 ] && as=(runuser -u postgres --)
  "${as[@]}" "$bindir/pg_ctl" -D "$PG_DIR/data" -m fast stop >/dev/null 2>&1 || true
  rm -rf "$PG_DIR"
}
