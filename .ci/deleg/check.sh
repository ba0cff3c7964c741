#!/bin/sh
# Guest script for the second client: opens and reads the file the first client wrote; its
# open recalls the first client's write delegation. See wdeleg.c.
exec "$KCLIENT_SHARE/wdeleg" check "$KCLIENT_MNT/wdeleg.dat" "$KCLIENT_SHARE"
