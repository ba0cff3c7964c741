#!/bin/sh
# Guest script for the second client: blocks in F_SETLKW until the first client releases the
# lock, and checks that the server's CB_NOTIFY_LOCK woke it. See lockwait.c.
exec "$KCLIENT_SHARE/lockwait" wait "$KCLIENT_MNT/lockwait.dat" "$KCLIENT_SHARE"
