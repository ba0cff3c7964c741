#!/bin/sh
# Guest script for the first client (kclient run --share DIR, DIR holding the static wdeleg):
# writes a file under a write delegation and keeps it open until the second client read it.
exec "$KCLIENT_SHARE/wdeleg" hold "$KCLIENT_MNT/wdeleg.dat" "$KCLIENT_SHARE"
