#!/bin/sh
# Guest script for the kernel client (kclient run --share DIR, DIR holding the static mksock):
# makes a FIFO, a character device, a block device and a socket on the mount and checks that
# ls -l shows their types and device numbers, then removes them.
passed=0 failed=0
check() { # check NAME PATTERN: the ls -l line of NAME must match PATTERN
	line=$(ls -l "$1" 2>&1)
	if echo "$line" | grep -Eq "$2"; then
		passed=$((passed + 1)); echo "PASS $1"
	else
		failed=$((failed + 1)); echo "FAIL $1: $line"
	fi
}
dir=nodes.$$
mkdir "$dir" && cd "$dir" || exit 1
mknod fifo p || echo "mknod fifo failed"
mknod chr c 1 5 || echo "mknod chr failed"
mknod blk b 8 1 || echo "mknod blk failed"
"$KCLIENT_SHARE/mksock" sock
check fifo '^p'
check chr '^c.* 1, +5 '
check blk '^b.* 8, +1 '
check sock '^s'
cd .. && rm -rf "$dir"
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
