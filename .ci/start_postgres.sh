#!/usr/bin/env bash
# Start a throw-away PostgreSQL server on loopback for the tests of lesson 07.
#
#   eval "$(bash .ci/start_postgres.sh)"
#
# Installs Debian's postgresql package when no server binaries are found,
# creates a cluster in a data directory under /tmp (owned by the postgres
# user), starts it on 127.0.0.1 (port 54329 unless FORGE_PG_PORT says
# otherwise; the next free port when that one is taken by something else),
# creates a login role and a database, waits until it accepts connections,
# and prints ONE line on stdout:
#
#   export FORGE_LESSONS_POSTGRES_URL=postgresql+psycopg://forge:...@127.0.0.1:PORT/forge_lessons
#
# Everything else goes to stderr. Running it again reuses the running server.
# Exits non-zero, with the reason on stderr, when the server cannot be started.
set -euo pipefail

PORT="${FORGE_PG_PORT:-54329}"
DATA_DIR="${FORGE_PG_DATA:-/tmp/forge-lessons-postgres}"
DB_NAME="forge_lessons"
DB_USER="forge"
DB_PASSWORD="forge-lessons-ci"
RUN_AS="postgres"

log() { echo "start_postgres: $*" >&2; }
die() { log "ERROR: $*"; exit 1; }

find_bindir() {
    local dir
    for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
        if [[ -x "$dir/initdb" && -x "$dir/pg_ctl" && -x "$dir/postgres" ]]; then
            echo "$dir"
            return 0
        fi
    done
    if command -v pg_config >/dev/null 2>&1; then
        dir="$(pg_config --bindir 2>/dev/null || true)"
        if [[ -n "$dir" && -x "$dir/initdb" && -x "$dir/pg_ctl" ]]; then
            echo "$dir"
            return 0
        fi
    fi
    return 1
}

BIN_DIR="$(find_bindir || true)"
if [[ -z "$BIN_DIR" ]] || ! command -v pg_ctlcluster >/dev/null 2>&1; then
    [[ "$(id -u)" -eq 0 ]] || die "PostgreSQL is not installed and installing it needs root"
    log "installing Debian's postgresql package"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update >&2 || die "apt-get update failed"
    apt-get install -y --no-install-recommends postgresql >&2 || die "apt-get install postgresql failed"
    BIN_DIR="$(find_bindir || true)"
    [[ -n "$BIN_DIR" ]] || die "postgresql was installed but no initdb/pg_ctl was found under /usr/lib/postgresql"
fi
log "using $BIN_DIR"

id "$RUN_AS" >/dev/null 2>&1 || die "the '$RUN_AS' user does not exist (the postgresql package creates it)"

as_owner() {
    if [[ "$(id -un)" == "$RUN_AS" ]]; then
        "$@"
    else
        runuser -u "$RUN_AS" -- "$@"
    fi
}

port_in_use() {
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

server_running() {
    [[ -f "$DATA_DIR/postmaster.pid" ]] && as_owner "$BIN_DIR/pg_ctl" -D "$DATA_DIR" status >/dev/null 2>&1
}

if server_running; then
    PORT="$(sed -n '4p' "$DATA_DIR/postmaster.pid")"
    log "reusing the server already running from $DATA_DIR on port $PORT"
else
    if [[ ! -s "$DATA_DIR/PG_VERSION" ]]; then
        rm -rf "$DATA_DIR"
        install -d -m 700 -o "$RUN_AS" -g "$RUN_AS" "$DATA_DIR"
        log "creating a cluster in $DATA_DIR"
        as_owner "$BIN_DIR/initdb" -D "$DATA_DIR" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
            --encoding=UTF8 --locale=C.UTF-8 >&2 || die "initdb failed"
    fi
    start_port="$PORT"
    while port_in_use "$PORT"; do
        PORT=$((PORT + 1))
        (( PORT < start_port + 50 )) || die "no free port in $start_port-$PORT on 127.0.0.1"
    done
    [[ "$PORT" == "$start_port" ]] || log "port $start_port is taken; using $PORT"
    log "starting the server on 127.0.0.1:$PORT"
    as_owner "$BIN_DIR/pg_ctl" -D "$DATA_DIR" -l "$DATA_DIR/server.log" -w -t 60 start \
        -o "-c listen_addresses=127.0.0.1 -p $PORT -k $DATA_DIR -c fsync=off -c full_page_writes=off" >&2 \
        || { tail -n 20 "$DATA_DIR/server.log" >&2 || true; die "the server did not start"; }
fi

psql_admin() {
    as_owner "$BIN_DIR/psql" -h "$DATA_DIR" -p "$PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 -qtA "$@"
}

for _ in $(seq 1 60); do
    if as_owner "$BIN_DIR/pg_isready" -h 127.0.0.1 -p "$PORT" -q; then
        break
    fi
    sleep 0.5
done
as_owner "$BIN_DIR/pg_isready" -h 127.0.0.1 -p "$PORT" -q || die "the server does not accept connections on 127.0.0.1:$PORT"

if [[ "$(psql_admin -c "SELECT 1 FROM pg_roles WHERE rolname = '$DB_USER'")" != "1" ]]; then
    psql_admin -c "CREATE ROLE $DB_USER LOGIN PASSWORD '$DB_PASSWORD'" >&2
else
    psql_admin -c "ALTER ROLE $DB_USER LOGIN PASSWORD '$DB_PASSWORD'" >&2
fi
if [[ "$(psql_admin -c "SELECT 1 FROM pg_database WHERE datname = '$DB_NAME'")" != "1" ]]; then
    psql_admin -c "CREATE DATABASE $DB_NAME OWNER $DB_USER" >&2
fi

# The login the tests will use, over TCP with the password.
PGPASSWORD="$DB_PASSWORD" as_owner env PGPASSWORD="$DB_PASSWORD" \
    "$BIN_DIR/psql" -h 127.0.0.1 -p "$PORT" -U "$DB_USER" -d "$DB_NAME" -v ON_ERROR_STOP=1 -qtA -c "SELECT 1" >/dev/null \
    || die "cannot log in as $DB_USER over TCP"
log "ready: database $DB_NAME, user $DB_USER on 127.0.0.1:$PORT"

echo "export FORGE_LESSONS_POSTGRES_URL=postgresql+psycopg://$DB_USER:$DB_PASSWORD@127.0.0.1:$PORT/$DB_NAME"
