#!/bin/sh
# Guest script: writes FILE of MIB MiB with an fsync every SYNC MiB while the host kills and
# restarts the server, then checks every range whose fsync succeeded; see fsyncwriter.c.
# Arguments: MIB SYNC (default 256 8).
exec "$KCLIENT_SHARE/fsyncwriter" write "$KCLIENT_MNT/fsyncwriter.dat" "${1:-256}" "${2:-8}"
