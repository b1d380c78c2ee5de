#!/bin/sh
# A service's watchdog: started beside each service with a pipe from the runner as its stdin. The pipe closes when
# the runner ends, however it ends (even SIGKILL); then the watchdog stops the service's whole tree, so no service
# outlives its runner. A shell script, so that it costs about a megabyte and starts at once; it finds the tree by
# the service's tag, the same way harness/services/terminate.ts does (docs/architecture.md "Leftovers and cleanup").
# Usage: sh watchdog.sh <pgid> <TAG_NAME=value> <grace ms>
pgid=$1
needle=$2
polls=$(( ${3:-3000} / 50 ))

# The terminal's Ctrl+C and hang-up are for the runner; the runner's end is what the watchdog waits for.
trap '' INT HUP

# Returns at end of file: the runner never writes, so that is when its end of the pipe closed.
while read -r _; do :; done

# Running processes that carry the tag (a zombie's environment cannot be read, so it is not listed).
tagged() {
  grep -lzxF -- "$needle" /proc/[0-9]*/environ 2>/dev/null | sed -n 's#^/proc/\([0-9]*\)/environ$#\1#p'
}

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
