#!/bin/sh
# Guest script for the kernel client: a directory of 600 files is listed with attributes again
# and again (READDIRPLUS, or READDIR with attributes), with the client's caches dropped before
# each listing so that the attributes come from the listing. Between two listings files change
# mode, size and name or go away: every listing must show the directory as it is, never as an
# earlier listing showed it.
. "$KCLIENT_SHARE/checks.sh"
listing() { # listing FILE: `ls -l` of the directory with the client's caches dropped first
	sync
	echo 3 >/proc/sys/vm/drop_caches
	ls -l >"$1"
}
field() { # field LISTING NAME COLUMN
	awk -v n="$2" -v c="$3" '$NF == n { print $c }' "$1"
}
dir=listing.$$
mkdir "$dir" && cd "$dir" || exit 1
i=0
while [ $i -lt 600 ]; do : >"f$i"; i=$((i + 1)); done
listing /tmp/l1
listing /tmp/l2
listing /tmp/l3
[ "$(grep -c ' f[0-9]*$' /tmp/l1)" -eq 600 ]; check "600 files listed" $? "$(grep -c ' f' /tmp/l1) listed"
cmp -s /tmp/l1 /tmp/l2 && cmp -s /tmp/l2 /tmp/l3; check "three listings of an unchanged directory agree" $? \
	"$(diff /tmp/l1 /tmp/l3 | head -5)"

chmod 600 f17
echo data >f42
mv f99 g99
rm f300
listing /tmp/l4
listing /tmp/l5
for l in /tmp/l4 /tmp/l5; do
	[ "$(field $l f17 1)" = "-rw-------" ]; check "$l: a changed mode listed" $? "$(grep ' f17$' $l)"
	[ "$(field $l f42 5)" = 5 ]; check "$l: a changed size listed" $? "$(grep ' f42$' $l)"
	[ "$(field $l f43 5)" = 0 ]; check "$l: its neighbour as it was" $? "$(grep ' f43$' $l)"
	grep -q ' g99$' $l && ! grep -q ' f99$' $l; check "$l: a renamed file under its new name only" $? \
		"$(grep ' [fg]99$' $l)"
	! grep -q ' f300$' $l; check "$l: a removed file gone" $? "$(grep ' f300$' $l)"
	[ "$(grep -c ' [fg][0-9]*$' $l)" -eq 599 ]; check "$l: 599 files listed" $? "$(grep -c ' [fg]' $l) listed"
done

chmod 644 f17
listing /tmp/l6
[ "$(field /tmp/l6 f17 1)" = "-rw-r--r--" ]; check "a mode changed back listed" $? "$(grep ' f17$' /tmp/l6)"
cd .. && rm -r "$dir"
check "the directory removed" $? "rm -r failed"
summary
