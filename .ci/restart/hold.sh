#!/bin/sh
# Guest script (kclient run --share DIR, DIR holding the static holdlock): holds an open file
# and a lock on the mount while the host restarts the server; see holdlock.c.
exec "$KCLIENT_SHARE/holdlock" hold "$KCLIENT_MNT/holdlock.dat" "$KCLIENT_SHARE"
