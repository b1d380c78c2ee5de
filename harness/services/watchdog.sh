#!/bin/sh
# A service's watchdog: started beside each service with a pipe from the runner as its stdin. The pipe closes when
# the runner ends, however it ends (even SIGKILL); then the watchdog stops the service's whole tree, so no service
# outlives its runner. A shell script, so that it costs about a megabyte and starts at once; it finds the tree by
# the service's tag, the same way harness/services/terminate.ts does (docs/architecture.md "Leftovers and cleanup").
# A service with a stop command (stop.command: a daemon's own way to stop) has it run first, in the service's folder
# and environment (the watchdog's own), with the service's tag, and its stop record (harness/services/stop-records.ts)
# deleted after.
# Usage: sh watchdog.sh <pgid> <TAG_NAME=value> <grace ms> [<stop timeout ms> <stop command> <stop record file>]
pgid=$1
needle=$2
polls=$(( ${3:-3000} / 50 ))
stop_polls=$(( ${4:-0} / 50 ))
stop_command=$5
stop_record=$6

# The terminal's Ctrl+C and hang-up are for the runner; the runner's end is what the watchdog waits for.
trap '' INT HUP

# Returns at end of file: the runner never writes, so that is when its end of the pipe closed.
while read -r _; do :; done

# Running processes that carry the tag (a zombie's environment cannot be read, so it is not listed).
tagged() {
  grep -lzxF -- "$needle" /proc/[0-9]*/environ 2>/dev/null | sed -n 's#^/proc/\([0-9]*\)/environ$#\1#p'
}

# Whether pid $1 still runs: an exited child stays a zombie (state Z) until this shell waits for it.
running() {
  [ -r "/proc/$1/stat" ] && ! grep -q ') Z ' "/proc/$1/stat" 2>/dev/null
}

if [ -n "$stop_command" ]; then
  env "$needle" /bin/sh -c "$stop_command" </dev/null >/dev/null 2>&1 &
  stopper=$!
  while [ "$stop_polls" -gt 0 ] && running "$stopper"; do
    stop_polls=$((stop_polls - 1))
    sleep 0.05
  done
  # Still running past its time: it carries the tag, and is stopped with the rest below.
  [ -n "$stop_record" ] && rm -f -- "$stop_record"
fi

members=$(tagged)
[ -z "$members" ] && exit 0
# The group only while its leader (the service's shell) still carries the tag: never a group that is someone else's.
if grep -qzxF -- "$needle" "/proc/$pgid/environ" 2>/dev/null; then kill -TERM -- "-$pgid" 2>/dev/null; fi
kill -TERM $members 2>/dev/null
while [ "$polls" -gt 0 ]; do
  members=$(tagged)
  [ -z "$members" ] && exit 0
  polls=$((polls - 1))
  sleep 0.05
done
kill -KILL $(tagged) 2>/dev/null
exit 0
