#!/bin/sh
# Guest script: mounts a second server (port $1) beside the first and checks that the two
# are kept apart: a file written through one mount is not seen through the other, and the
# client keeps one NFSv4 client per server (/proc/fs/nfsfs/servers lists both).
port2=$1 passed=0 failed=0
check() { # check NAME COMMAND...
	name=$1; shift
	if "$@"; then passed=$((passed + 1)); echo "PASS $name"; else failed=$((failed + 1)); echo "FAIL $name"; fi
}
mkdir -p /mnt/second
check "second server mounted" kc mount 10.0.2.2:/ /mnt/second nfs4 \
	"vers=$KCLIENT_VERS,proto=tcp,addr=10.0.2.2,port=$port2,clientaddr=127.0.0.1,sec=sys"
echo first >"$KCLIENT_MNT/only-on-first"
echo second >/mnt/second/only-on-second
check "a file of the first server is not on the second" test ! -e /mnt/second/only-on-first
check "a file of the second server is not on the first" test ! -e "$KCLIENT_MNT/only-on-second"
check "each reads its own file" sh -c "grep -qx first '$KCLIENT_MNT/only-on-first' && grep -qx second /mnt/second/only-on-second"
cat /proc/fs/nfsfs/servers
servers=$(awk 'NR > 1 && $3 != "" {n++} END {print n + 0}' /proc/fs/nfsfs/servers)
check "the client keeps a separate NFSv4 client for each server ($servers)" test "$servers" -ge 2
rm -f "$KCLIENT_MNT/only-on-first" /mnt/second/only-on-second
kc umount /mnt/second
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
