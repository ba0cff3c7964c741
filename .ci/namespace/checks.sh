# Sourced by the guest scripts of this folder (handed to the VM with --share): counts checks
# and prints each one's result, and `summary` the totals, failing when any check failed.
passed=0 failed=0
check() { # check NAME CONDITION-RESULT DETAIL
	if [ "$2" = 0 ]; then
		passed=$((passed + 1)); echo "PASS $1"
	else
		failed=$((failed + 1)); echo "FAIL $1: $3"
	fi
}
summary() {
	echo "$passed passed, $failed failed"
	[ "$failed" = 0 ]
}
