#!/bin/sh
# rpmem_ssh_local.sh -- an RPMEM_SSH stand-in: drops ssh's options and the [user@]host, runs the remote command here with sh -c
while [ $# -gt 0 ]; do
	case "$1" in
	-p|-o|-l|-i|-F|-E|-b|-c|-m|-J) shift 2 ;;	# options that take a value
	-*) shift ;;
	*) break ;;
	esac
done
if [ $# -lt 2 ]; then
	echo "rpmem_ssh_local.sh: expected [options] [user@]host command" >&2
	exit 255
fi
shift	# the host: everything runs on this machine
# launched locally, not through sshd: rpmemd listens on loopback
unset SSH_CONNECTION SSH_CLIENT
exec sh -c "$*"
