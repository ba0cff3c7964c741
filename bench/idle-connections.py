#!/usr/bin/env python3
"""Opens COUNT TCP connections to HOST:PORT, sends one RPC NULL call (NFSv3) on each and
reads its reply, so that the server has accepted and served every one, then holds them all
open, idle, until standard input closes. Prints "held N" once all are open.

Source addresses rotate over 127.0.0.1-127.0.0.254 when HOST is a loopback address, so no
single address opens more than a few dozen connections."""
import socket
import struct
import sys


def null_call(xid):
    # RPC call: xid, CALL, rpcvers 2, prog 100003, vers 3, proc 0, AUTH_NONE cred and verf
    body = struct.pack(">IIIIIIIIII", xid, 0, 2, 100003, 3, 0, 0, 0, 0, 0)
    return struct.pack(">I", 0x80000000 | len(body)) + body


def read_reply(sock):
    header = sock.recv(4, socket.MSG_WAITALL)
    length = struct.unpack(">I", header)[0] & 0x7FFFFFFF
    sock.recv(length, socket.MSG_WAITALL)


def main():
    host, port, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    held = []
    for i in range(count):
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        if host.startswith("127."):
            sock.bind(("127.0.0.%d" % (1 + i % 254), 0))
        sock.connect((host, port))
        sock.sendall(null_call(i + 1))
        read_reply(sock)
        held.append(sock)
    print("held %d" % len(held), flush=True)
    sys.stdin.read()


if __name__ == "__main__":
    main()
