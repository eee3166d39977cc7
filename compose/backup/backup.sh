#!/bin/sh
# Scheduled PostgreSQL backups for compose/docker-compose.yml (service `backup`, postgres image):
# a custom-format pg_dump (compressed; pg_restore can restore it whole or table by table) every
# BACKUP_INTERVAL_SECONDS into /backups, written under a temporary name and renamed when complete,
# and dumps older than BACKUP_KEEP_DAYS deleted. Restore: see compose/README.md.
# Reads PGHOST, PGUSER, PGDATABASE and PGPASSWORD from the environment.
set -eu

interval="${BACKUP_INTERVAL_SECONDS:-86400}"
keep_days="${BACKUP_KEEP_DAYS:-14}"
dir="${BACKUP_DIR:-/backups}"
case "$interval" in '' | *[!0-9]*) echo "backup: BACKUP_INTERVAL_SECONDS must be a whole number of seconds" >&2; exit 1 ;; esac
case "$keep_days" in '' | *[!0-9]*) echo "backup: BACKUP_KEEP_DAYS must be a whole number of days" >&2; exit 1 ;; esac
[ "$interval" -gt 0 ] || { echo "backup: BACKUP_INTERVAL_SECONDS must be positive" >&2; exit 1; }

backup_once() {
  name="$PGDATABASE-$(date -u +%Y%m%dT%H%M%SZ).dump"
  if pg_dump --format=custom --compress=6 --no-owner --file="$dir/.$name.partial" && pg_restore --list "$dir/.$name.partial" >/dev/null; then
    mv "$dir/.$name.partial" "$dir/$name"
    echo "backup: wrote $dir/$name ($(du -h "$dir/$name" | cut -f1))"
  else
    rm -f "$dir/.$name.partial"
    echo "backup: pg_dump failed; the previous dumps are kept" >&2
  fi
  # Retention: whole days, by modification time.
  find "$dir" -maxdepth 1 -name "$PGDATABASE-*.dump" -mtime "+$((keep_days - 1))" -print -delete | sed 's/^/backup: removed /'
}

mkdir -p "$dir"
until pg_isready --quiet; do sleep 2; done
# A signal stops the wait at once (the container stops in time).
trap 'exit 0' TERM INT
while :; do
  backup_once
  sleep "$interval" &
  wait $!
done
