#!/bin/sh
# Guest script for the kernel client (kclient run --share DIR, DIR holding the static bench42):
#   guest.sh files         make the test files
#   guest.sh copy          server-side copy against a copy through the client
#   guest.sh read [FILE]   read FILE (default: dense.1g, then sparse.1g)
# Ends with the client's READ, READ_PLUS, COPY and WRITE counters from mountstats.
cd "$KCLIENT_MNT" || exit 1
case "$1" in
  read)
    if [ -n "$2" ]; then
      "$KCLIENT_SHARE/bench42" read "$2"
    else
      "$KCLIENT_SHARE/bench42" read dense.1g && "$KCLIENT_SHARE/bench42" read sparse.1g
    fi ;;
  *) "$KCLIENT_SHARE/bench42" "$1" ;;
esac
grep -E "^[[:space:]]*(READ|READ_PLUS|COPY|WRITE):" /proc/self/mountstats
