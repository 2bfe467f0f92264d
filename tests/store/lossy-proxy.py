#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""A lossy link on loopback: an HTTP/1.1 proxy in front of the reference
platform that decides the fate of every TCP connection when it is accepted
(issue #11 point 2):

  refuse   reset at once, before reading anything            (--refuse, 0.08)
  busy     answer 503 with Retry-After: 1, then close          (--busy, 0.08)
  stall    accept, say nothing for --stall-min..--stall-max s,
           then reset                                          (--stall, 0.04)
  reset    reset in the middle of a request (half of it goes
           to the platform)                                    (--reset, 0.06)
  cut      forward a request, then only part of the answer,
           then close                                          (--cut, 0.08)
  faithful forward everything                                  (the rest)

The busy answer comes on the first request; reset and cut strike at a
request drawn from 1..--max-requests. After --max-requests answers the
proxy closes the connection (a new connection, a new fate), as NAT boxes and
gateways on a village link do; 1 means one request per connection.

  lossy-proxy.py --upstream 127.0.0.1:PORT[,HOST:PORT...] [--listen 127.0.0.1:0] [--seed N]
                 [--stats FILE] [fault options]

With several upstreams it is also a load balancer: each connection goes to
one of them drawn at random (tests/platform/two-receivers.py: two
receivers on one database).

Prints "listening on http://127.0.0.1:PORT/" once ready; keeps counts of
the fates in --stats (JSON, rewritten after each connection). Standard
library only.
"""

import argparse
import json
import os
import random
import socket
import struct
import sys
import threading
import time

FATES = ("refuse", "busy", "stall", "reset", "cut")


def rst_close(sock):
    """Closes with a TCP reset (SO_LINGER 0)."""
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    except OSError:
        pass
    sock.close()


class Reader:
    """Reads HTTP/1.1 messages framed by Content-Length from a socket."""

    def __init__(self, sock):
        self.sock = sock
        self.buf = b""

    def _fill(self):
        data = self.sock.recv(65536)
        if not data:
            raise EOFError
        self.buf += data

    def message(self, response=False, request_method=None):
        """Returns (head, body) or None when the peer closed before a
        message began."""
        try:
            while b"\r\n\r\n" not in self.buf:
                self._fill()
        except EOFError:
            if self.buf:
                raise
            return None
        end = self.buf.index(b"\r\n\r\n") + 4
        head, self.buf = self.buf[:end], self.buf[end:]
        lines = head.decode("latin-1").split("\r\n")
        length = 0
        chunked = False
        for line in lines[1:]:
            name, _, value = line.partition(":")
            name = name.strip().lower()
            if name == "content-length":
                length = int(value.strip())
            elif name == "transfer-encoding" and "chunked" in value.lower():
                chunked = True
        if response:
            status = int(lines[0].split()[1])
            if status in (204, 304) or 100 <= status < 200 or request_method == "HEAD":
                return head, b""
        if chunked:
            body = b""
            while True:
                while b"\r\n" not in self.buf:
                    self._fill()
                i = self.buf.index(b"\r\n")
                size = int(self.buf[:i].split(b";")[0], 16)
                need = i + 2 + size + 2
                while len(self.buf) < need:
                    self._fill()
                body += self.buf[:need]
                self.buf = self.buf[need:]
                if size == 0:
                    return head, body
        while len(self.buf) < length:
            self._fill()
        body, self.buf = self.buf[:length], self.buf[length:]
        return head, body


class Proxy:
    def __init__(self, args):
        self.args = args
        self.rand = random.Random(args.seed)
        self.lock = threading.Lock()
        self.counts = {f: 0 for f in FATES + ("faithful", "connections", "requests")}
        for i in range(len(args.upstream_addrs)):
            self.counts["upstream_%d" % i] = 0

    def count(self, what, n=1):
        with self.lock:
            self.counts[what] += n

    def write_stats(self):
        if not self.args.stats:
            return
        with self.lock:
            text = json.dumps(self.counts)
        tmp = self.args.stats + ".tmp"
        with open(tmp, "w") as f:
            f.write(text)
        os.replace(tmp, self.args.stats)

    def draw(self):
        with self.lock:
            x = self.rand.random()
            strike = self.rand.randint(1, max(self.args.max_requests, 1))
            stall = self.rand.uniform(self.args.stall_min, self.args.stall_max)
            cut_at = self.rand.random()
            n = len(self.args.upstream_addrs)
            target = self.rand.randrange(n) if n > 1 else 0  # one upstream: the draws as before
        for fate in FATES:
            p = getattr(self.args, fate)
            if x < p:
                return fate, strike, stall, cut_at, target
            x -= p
        return "faithful", strike, stall, cut_at, target

    def serve(self, client):
        fate, strike, stall, cut_at, target = self.draw()
        self.count("connections")
        self.count(fate)
        upstream = None
        try:
            if fate == "refuse":
                rst_close(client)
                return
            if fate == "stall":
                time.sleep(stall)
                rst_close(client)
                return
            reader = Reader(client)
            up_reader = None
            n = 0
            while n < self.args.max_requests:
                msg = reader.message()
                if msg is None:
                    break
                head, body = msg
                n += 1
                self.count("requests")
                method = head.split(b" ", 1)[0].decode("latin-1")
                if fate == "busy":
                    text = b"Service Unavailable\n"
                    client.sendall(
                        b"HTTP/1.1 503 Service Unavailable\r\nRetry-After: 1\r\n"
                        b"Content-Type: text/plain\r\nContent-Length: %d\r\n"
                        b"Connection: close\r\n\r\n%s" % (len(text), text)
                    )
                    break
                if upstream is None:
                    upstream = socket.create_connection(self.args.upstream_addrs[target])
                    self.count("upstream_%d" % target)
                    upstream.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                    up_reader = Reader(upstream)
                request = head + body
                if fate == "reset" and n == strike:
                    upstream.sendall(request[: len(request) // 2])
                    rst_close(client)
                    client = None
                    break
                upstream.sendall(request)
                reply = up_reader.message(response=True, request_method=method)
                if reply is None:
                    break
                answer = reply[0] + reply[1]
                if fate == "cut" and n == strike:
                    client.sendall(answer[: max(1, int(len(answer) * cut_at))])
                    break
                client.sendall(answer)
                if b"\r\nconnection: close" in reply[0].lower():
                    break
        except (OSError, EOFError, ValueError, IndexError):
            pass
        finally:
            for s in (client, upstream):
                if s is not None:
                    try:
                        s.close()
                    except OSError:
                        pass
            self.write_stats()

    def run(self):
        host, _, port = self.args.listen.rpartition(":")
        srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        srv.bind((host, int(port)))
        srv.listen(64)
        print("listening on http://%s:%d/" % srv.getsockname(), flush=True)
        self.write_stats()
        while True:
            client, _ = srv.accept()
            client.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            threading.Thread(target=self.serve, args=(client,), daemon=True).start()


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--listen", default="127.0.0.1:0")
    ap.add_argument("--upstream", required=True, help="HOST:PORT of the platform (several: comma-separated)")
    ap.add_argument("--seed", type=int, default=None)
    ap.add_argument("--stats", default=None)
    ap.add_argument("--refuse", type=float, default=0.08)
    ap.add_argument("--busy", type=float, default=0.08)
    ap.add_argument("--stall", type=float, default=0.04)
    ap.add_argument("--reset", type=float, default=0.06)
    ap.add_argument("--cut", type=float, default=0.08)
    ap.add_argument("--stall-min", type=float, default=5.0)
    ap.add_argument("--stall-max", type=float, default=20.0)
    ap.add_argument("--max-requests", type=int, default=4)
    args = ap.parse_args()
    args.upstream_addrs = []
    for up in args.upstream.split(","):
        host, _, port = up.rpartition(":")
        args.upstream_addrs.append((host, int(port.rstrip("/"))))
    try:
        Proxy(args).run()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
