#!/bin/sh
# Guest script (kclient run --share DIR, DIR holding the static reopen): writes a small file,
# then opens, reads and closes it N times (default 1000) and prints the client's OPEN count
# before and after, and the time it took.
f="$KCLIENT_MNT/reopen.dat"
echo "a small file read again and again" >"$f" || exit 1
sync
"$KCLIENT_SHARE/reopen" "$f" "${1:-1000}"
