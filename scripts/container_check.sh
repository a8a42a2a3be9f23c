#!/usr/bin/env bash
# `make container-check`: build innohub's image (Containerfile) with podman and run it against this
# machine's PostgreSQL and Redis, then ask /healthz and /readyz. Needs root, podman and debootstrap
# (apt-get install podman runc debootstrap). No registry is needed: the base image is a Debian 12 root
# made by debootstrap from the Debian mirror apt uses, brought in with `podman import` (kept and
# reused; CONTAINER_REBUILD_BASE=1 makes it again). Not part of CI (several minutes).
#
#   CONTAINER_DB (wt_container_check, dropped and created), CONTAINER_REDIS_DB (13),
#   CONTAINER_PORT (8391), CONTAINER_POSTGRES (postgres://postgres@127.0.0.1:5432)
set -euo pipefail
cd "$(dirname "$0")/.."

DB=${CONTAINER_DB:-wt_container_check}
REDIS_DB=${CONTAINER_REDIS_DB:-13}
PORT=${CONTAINER_PORT:-8391}
PG=${CONTAINER_POSTGRES:-postgres://postgres@127.0.0.1:5432}
BASE=localhost/innohub-base:bookworm
IMAGE=localhost/innohub:check
ROOTFS=${CONTAINER_ROOTFS:-/var/tmp/innohub-base-rootfs}
MIRROR=${CONTAINER_MIRROR:-$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)}
MIRROR=${MIRROR:-http://deb.debian.org/debian}
NAME=innohub-check-$$
# What running containers took on this machine (a VM without CAP_SYS_RESOURCE, cgroups v1 and v2
# mounted together): crun refuses hybrid cgroups, so runc; and podman's default ulimits (nofile and
# nproc raised to 1048576) cannot be set, so lower ones, which need no privilege.
RUNTIME=(--runtime "${CONTAINER_RUNTIME:-runc}")
LIMITS=(--ulimit nofile=4096:4096 --ulimit nproc=4096:4096)

say() { printf '%s\n' "$*"; }
t0=$(date +%s)

if [ "${CONTAINER_REBUILD_BASE:-0}" = 1 ] || ! podman image exists "$BASE"; then
    say "1. base image: debootstrap bookworm from $MIRROR into $ROOTFS, then podman import"
    rm -rf "$ROOTFS"
    debootstrap --variant=minbase --include=python3,python3-venv,python3-pip,ca-certificates,libpq5,postgresql-client \
        bookworm "$ROOTFS" "$MIRROR" >/dev/null
    rm -rf "$ROOTFS"/var/cache/apt/archives/*.deb "$ROOTFS"/var/lib/apt/lists/*
    tar -C "$ROOTFS" -c . | podman import --change 'CMD ["/bin/bash"]' - "$BASE" >/dev/null
else
    say "1. base image $BASE already there (CONTAINER_REBUILD_BASE=1 to make it again)"
fi

say "2. podman build -t $IMAGE (Containerfile)"
tb=$(date +%s)
# pip inside the build trusts what pip here trusts (this machine reaches PyPI through its own CA)
CA=${CONTAINER_CA_BUNDLE:-${PIP_CERT:-/etc/ssl/certs/ca-certificates.crt}}
podman "${RUNTIME[@]}" build "${LIMITS[@]}" --network host --build-arg BASE="$BASE" \
    --volume "$CA":/run/build-ca.crt:ro --build-arg PIP_CERT=/run/build-ca.crt \
    -t "$IMAGE" -f Containerfile . >var/container-build.log 2>&1 \
    || { tail -30 var/container-build.log; exit 1; }
say "   built in $(( $(date +%s) - tb )) s; $(podman image inspect "$IMAGE" --format '{{.Size}}' | awk '{printf "%.0f MB", $1/1e6}')"

say "3. a fresh database $DB; migrate inside the image"
psql "$PG/postgres" -qc "DROP DATABASE IF EXISTS \"$DB\" WITH (FORCE)" -c "CREATE DATABASE \"$DB\"" >/dev/null
redis-cli -n "$REDIS_DB" FLUSHDB >/dev/null
ENV=(--env DJANGO_SECRET_KEY="$(python3 -c 'import secrets;print(secrets.token_urlsafe(60))')"
     --env DJANGO_ALLOWED_HOSTS=127.0.0.1,localhost --env DJANGO_SECURE_SSL_REDIRECT=false
     --env DATABASE_URL="$PG/$DB" --env REDIS_URL="redis://127.0.0.1:6379/$REDIS_DB"
     --env SITE_URL="http://127.0.0.1:$PORT" --env PORT="$PORT" --env WEB_CONCURRENCY=2)
podman "${RUNTIME[@]}" run --rm "${LIMITS[@]}" --network host "${ENV[@]}" "$IMAGE" python manage.py migrate --no-input -v 0

say "4. podman run the server on :$PORT (network host), then /healthz, /readyz and the home page"
cleanup() { podman rm --force "$NAME" >/dev/null 2>&1 || true; }
trap cleanup EXIT
podman "${RUNTIME[@]}" run --detach "${LIMITS[@]}" --name "$NAME" --network host "${ENV[@]}" "$IMAGE" >/dev/null
ok=0
for _ in $(seq 1 60); do
    if curl -fsS "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1; then ok=1; break; fi
    sleep 1
done
if [ $ok != 1 ]; then podman logs --tail 40 "$NAME"; say "FAILED: the server did not answer /healthz"; exit 1; fi
failed=0
for path in /healthz /readyz /; do
    code=$(curl -s -o var/container-body.txt -w '%{http_code}' "http://127.0.0.1:$PORT$path")
    say "   $path → $code $(head -c 200 var/container-body.txt | tr -d '\n' | cut -c1-160)"
    [ "$code" = 200 ] || failed=1
done
static=$(curl -s "http://127.0.0.1:$PORT/" | grep -o '/static/[^"]*\.css' | head -1)
code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT$static")
say "   $static → $code (static files served by the image: collected at build, whitenoise)"
[ -n "$static" ] && [ "$code" = 200 ] || failed=1
warnings=$(podman logs "$NAME" 2>&1 | grep -c '"level": "\(WARNING\|ERROR\)"' || true)
say "   warnings or errors in the server's log: $warnings"
[ "$warnings" = 0 ] || failed=1
user=$(podman exec "$NAME" id -un)
say "   the server runs as: $user"
[ "$user" = innohub ] || failed=1
if [ $failed = 1 ]; then podman logs --tail 40 "$NAME"; say "FAILED"; exit 1; fi
cleanup

KUBE_PORT=$((PORT + 1))
say "5. podman play kube deploy/innohub-pod.yaml: an app server (:$KUBE_PORT) and a worker in one pod"
# play kube takes no --ulimit: the same limits (and runc) through a containers.conf of its own
export CONTAINERS_CONF=$PWD/var/container-check.conf
printf '[containers]\ndefault_ulimits = ["nofile=4096:4096", "nproc=4096:4096"]\n[engine]\nruntime = "runc"\n' >"$CONTAINERS_CONF"
python3 - "$KUBE_PORT" "${ENV[@]}" >var/container-check-env.yaml <<'PY'
import json, sys
port, args = sys.argv[1], sys.argv[2:]
data = dict(a.split("=", 1) for a in args[1::2])
data.update(PORT=port, SITE_URL=f"http://127.0.0.1:{port}")
print(json.dumps({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "innohub-env"}, "data": data}))
PY
kube_down() { podman play kube --down deploy/innohub-pod.yaml >/dev/null 2>&1 || true; rm -f var/container-check-env.yaml; }
trap kube_down EXIT
podman play kube --configmap var/container-check-env.yaml deploy/innohub-pod.yaml >/dev/null
ok=0
for _ in $(seq 1 60); do
    if curl -fsS "http://127.0.0.1:$KUBE_PORT/healthz" >/dev/null 2>&1; then ok=1; break; fi
    sleep 1
done
[ $ok = 1 ] || { podman pod logs --tail 30 innohub 2>&1 || true; say "FAILED: the pod's server did not answer"; exit 1; }
for path in /healthz /readyz; do
    code=$(curl -s -o var/container-body.txt -w '%{http_code}' "http://127.0.0.1:$KUBE_PORT$path")
    say "   $path → $code $(head -c 160 var/container-body.txt)"
    [ "$code" = 200 ] || failed=1
done
sleep 3
running=$(podman ps --filter pod=innohub --format '{{.Names}} {{.Status}}' | grep -v infra || true)
say "   $(echo "$running" | tr '\n' ';')"
[ "$(echo "$running" | grep -c ' Up ')" = 2 ] || failed=1
say "total $(( $(date +%s) - t0 )) s"
if [ $failed = 1 ]; then podman pod logs --tail 30 innohub 2>&1 || true; say "FAILED"; exit 1; fi
say "Container check passed."
