#!/bin/sh
# Guest script for the first client (kclient run --share DIR, DIR holding the static
# lockwait): holds a write lock until the second client waits for it. See lockwait.c.
exec "$KCLIENT_SHARE/lockwait" hold "$KCLIENT_MNT/lockwait.dat" "$KCLIENT_SHARE"
