#!/usr/bin/env bash
# Starts a private PostgreSQL for the store's tests, as an unprivileged user,
# on a free loopback port and a fresh data directory, and prints the lines
# to export:
#
#   eval "$(bash .ci/postgres.sh start $$)"   # sets OPSDRAG_TEST_POSTGRES_URL
#
# PostgreSQL refuses to run as root, and CI may run as root: the server then
# runs as the system user opsdrag-ci (created when missing) through runuser.
# The server is stopped when the process whose id is given exits (a watcher
# polls for it), or at once with `bash .ci/postgres.sh stop DATADIR`.
# Debian's postgresql package is installed with apt when no server is found.
set -euo pipefail

log() { echo "postgres: $*" >&2; }

self=$(cd "$(dirname "$0")" && pwd)/$(basename "$0")

if [ "${1:-}" = stop ]; then
	[ -f "${2:-}/.pg_ctl" ] || exit 0 # stopped already
	pg_ctl=$(cat "$2/.pg_ctl")
	runas=$(cat "$2/.runas")
	if [ -n "$runas" ]; then
		runuser -u "$runas" -- "$pg_ctl" -D "$2" -m fast -w stop >/dev/null 2>&1 || true
	else
		"$pg_ctl" -D "$2" -m fast -w stop >/dev/null 2>&1 || true
	fi
	rm -rf "$(dirname "$2")"
	exit 0
fi

if [ "${1:-}" != start ] || [ -z "${2:-}" ]; then
	echo "usage: $0 start OWNER_PID | $0 stop DATADIR" >&2
	exit 2
fi
owner=$2

find_bin() {
	for dir in /usr/local/bin /usr/lib/postgresql/*/bin; do
		if [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ] && [ -x "$dir/postgres" ]; then
			echo "$dir"
			return 0
		fi
	done
	return 1
}

if ! bindir=$(find_bin); then
	log "installing Debian's postgresql package"
	sudo=""
	if [ "$(id -u)" != 0 ] && command -v sudo >/dev/null 2>&1; then sudo=sudo; fi
	$sudo apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq postgresql >/dev/null
	bindir=$(find_bin) || { log "no initdb/pg_ctl/postgres after installing postgresql"; exit 1; }
fi

runas=""
if [ "$(id -u)" = 0 ]; then
	runas=opsdrag-ci
	if ! id "$runas" >/dev/null 2>&1; then
		log "creating the unprivileged user $runas"
		useradd --system --no-create-home --shell /usr/sbin/nologin "$runas"
	fi
fi
as_user() {
	if [ -n "$runas" ]; then
		runuser -u "$runas" -- "$@"
	else
		"$@"
	fi
}

# A free loopback port: nothing answers on it.
port=${OPSDRAG_TEST_POSTGRES_PORT:-55432}
while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do
	port=$((port + 1))
done

data=$(mktemp -d /tmp/opsdrag-pg.XXXXXX)
password=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
printf '%s\n' "$password" >"$data.pw"
chmod 0711 "$data"
if [ -n "$runas" ]; then chown "$runas" "$data" "$data.pw"; fi
chmod 0600 "$data.pw"

log "initdb in $data (server runs as ${runas:-$(id -un)}, port $port)"
as_user "$bindir/initdb" -D "$data/db" -U postgres --pwfile="$data.pw" \
	--auth-local=scram-sha-256 --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 >/dev/null
rm -f "$data.pw"
as_user "$bindir/pg_ctl" -D "$data/db" -w -t 60 -l "$data/db/server.log" \
	-o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$data/db -c max_connections=200 -c fsync=on" \
	start >/dev/null
echo "$bindir/pg_ctl" >"$data/db/.pg_ctl"
echo "$runas" >"$data/db/.runas"

# Stop the server when the owner is gone, whatever its traps.
(
	trap '' HUP
	while kill -0 "$owner" 2>/dev/null; do sleep 2; done
	bash "$self" stop "$data/db"
) </dev/null >/dev/null 2>&1 &
disown

echo "export OPSDRAG_TEST_POSTGRES_URL='postgres://postgres:$password@127.0.0.1:$port/postgres?sslmode=disable'"
echo "export OPSDRAG_TEST_POSTGRES_DATA='$data/db'"
