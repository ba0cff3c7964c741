#!/bin/sh
# Guest script for the kernel client: 16 writers at once create and write 40 files each in
# one directory, then 16 removers take them all away, while the server forces that directory
# for every CREATE and REMOVE (sharing a force among the calls that overlap). Every file must
# be there with its own content after the creates, and none after the removes.
. "$KCLIENT_SHARE/checks.sh"
dir=parallel.$$
mkdir "$dir" && cd "$dir" || exit 1
w=0
while [ $w -lt 16 ]; do
	(f=0; while [ $f -lt 40 ]; do echo "writer $w file $f" >"w$w-$f"; f=$((f + 1)); done) &
	w=$((w + 1))
done
wait
count=$(ls | wc -l)
[ "$count" -eq 640 ]; check "640 files after 16 writers created 40 each" $? "found $count"
wrong=0
w=0
while [ $w -lt 16 ]; do
	f=0
	while [ $f -lt 40 ]; do
		[ "$(cat "w$w-$f" 2>/dev/null)" = "writer $w file $f" ] || wrong=$((wrong + 1))
		f=$((f + 1))
	done
	w=$((w + 1))
done
[ "$wrong" -eq 0 ]; check "every file holds what its writer wrote" $? "$wrong files differ"
w=0
while [ $w -lt 16 ]; do (rm -f "w$w-"*) & w=$((w + 1)); done
wait
count=$(ls | wc -l)
[ "$count" -eq 0 ]; check "no file left after 16 removers" $? "found $count"
cd .. && rmdir "$dir"
check "the emptied directory removed" $? "rmdir failed"
summary
