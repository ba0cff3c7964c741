#!/bin/sh
# Guest script for the kernel client (kclient run --share DIR, DIR holding the static probe):
# runs the NFSv4.2 and extended-attribute probe in a directory of its own on the mount.
# Arguments go to the probe (expect-clone or no-clone).
dir=probe.$$
mkdir "$dir" && cd "$dir" || exit 1
"$KCLIENT_SHARE/probe" "$@" > /tmp/probe.out 2>&1
rc=$?
cd .. && rm -rf "$dir"
cat /tmp/probe.out
exit $rc
