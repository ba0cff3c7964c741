#!/bin/sh
# Guest script for a second client: after the restart, tries the lock the first client
# reclaimed; it must be refused. See holdlock.c.
exec "$KCLIENT_SHARE/holdlock" contend "$KCLIENT_MNT/holdlock.dat" "$KCLIENT_SHARE"
