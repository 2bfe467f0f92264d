#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""A hostile platform for the kiosk's sync engine (issue #12).

Speaks just enough of docs/platform-api.md (/v1) over plain HTTP/1.1 on
127.0.0.1 to take a kiosk's attachments and cases, and answers them in the
way a broken, misconfigured or malicious platform, proxy or gateway would,
chosen by --mode (see MODES). Written on raw sockets so that it can send
what a well-behaved HTTP library would not: trickled headers, lying
lengths, raw escape bytes in a reason phrase, gzip bombs.

    hostile-platform.py [--mode MODE] [--interval S] [--huge-mib N]
                        [--tls-cert FILE --tls-key FILE]

Prints "listening on http://127.0.0.1:PORT/" once ready (https:// with
--tls-cert: then only the main listener speaks TLS). A second listener
(the "other" server, another port) answers every request as a perfect
platform would: a client that follows a redirect there is caught. Both
count what they receive: GET /hostile/log (never hostile) returns
{"mode": ..., "main": [...], "other": [...]} with "METHOD PATH" of every
request. GET /hostile/mode/MODE switches to another mode and forgets what
was received (one server for a whole test).

Standard library only; one thread per connection; every connection is
closed after its answer.
"""

import argparse
import hashlib
import json
import socket
import ssl
import sys
import threading
import time
import zlib

MODES = {
    "ok": "every request answered as the platform documents it",
    "not-modified": "POST /v1/cases answered 304",
    "redirect-other-port": "302 to the other server (another port), which answers 201",
    "redirect-307-other-port": "307 (method and body kept) to the other server, which answers 201",
    "redirect-other-host": "307 to localhost:OTHER instead of 127.0.0.1",
    "redirect-empty": "302 to /empty on the same server, an empty 200",
    "redirect-to-http": "302 to plain http:// on the other server (run with --tls-cert)",
    "empty-201": "201 without a body",
    "empty-204": "204",
    "null-201": "201 with the JSON null",
    "array-201": "201 with []",
    "error-200": "200 with an error body",
    "html-200": "200 with an HTML page",
    "missing-official": "201 without official_number",
    "wrong-provisional": "201 for another provisional number",
    "duplicate-official": "201 with the same official number for every case",
    "slow-headers": "the answer's headers trickle in, one byte every --interval s",
    "slow-body": "the answer's body trickles in, one byte every --interval s",
    "slow-catalog": "GET /v1/catalog trickles its headers; cases are answered well",
    "huge-body": "201 with a valid answer padded to --huge-mib MiB (Content-Length)",
    "huge-chunked": "the same, delimited by closing the connection (no length)",
    "gzip-bomb": "the same, gzip-compressed (Content-Encoding: gzip)",
    "huge-catalog": "GET /v1/catalog answers --huge-mib MiB",
    "forbidden-403": "403 with an HTML page (a gateway, not the platform)",
    "proxy-407": "407 Proxy Authentication Required, no platform body",
    "forbidden-403-platform": "403 with a platform error body (a real rejection)",
    "escape-reason": "422 whose reason phrase and error message carry escape sequences",
    "record-not-received": "POST /v1/ratings answered 201 with \"received\": false",
    "record-wrong-kind": "POST /v1/ratings answered 201 for another kind",
    "huge-headers": "a header line of --huge-mib MiB",
    "attachment-lies": "every attachment is \"complete\" at offset 0 (nothing was uploaded)",
}

STATE = {
    "lock": threading.Lock(),
    "mode": "ok",
    "log": {"main": [], "other": []},
    "uploads": {},  # sha256 -> bytearray
    "last_provisional": "",
    "serial": 0,
    "other_port": 0,
}

CATALOG = json.dumps({"version": "hostile-1", "items": [], "not_offered": {}}).encode()
NOTICES = json.dumps({"notices": []}).encode()


def read_request(conn):
    """Returns (method, path, headers, body) or None."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        if not chunk:
            return None
        data += chunk
        if len(data) > 1 << 20:
            return None
    head, _, rest = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    method, path, _ = lines[0].split(" ", 2)
    headers = {}
    for line in lines[1:]:
        k, _, v = line.partition(":")
        headers[k.strip().lower()] = v.strip()
    length = int(headers.get("content-length", "0"))
    body = rest
    while len(body) < length:
        chunk = conn.recv(min(1 << 20, length - len(body)))
        if not chunk:
            break
        body += chunk
    return method, path, headers, body


def send(conn, status, reason, body=b"", ctype="application/json", extra=None, length=True):
    head = "HTTP/1.1 %d %s\r\n" % (status, reason)
    head = head.encode("latin-1") if isinstance(reason, str) else head
    lines = [b"Connection: close"]
    if body is not None and status not in (204, 304):
        if ctype:
            lines.append(b"Content-Type: " + ctype.encode())
        if length:
            lines.append(b"Content-Length: %d" % len(body))
    for k, v in (extra or {}).items():
        lines.append(("%s: %s" % (k, v)).encode("latin-1"))
    conn.sendall(head + b"\r\n".join(lines) + b"\r\n\r\n" + (body or b""))


def send_json(conn, status, reason, obj, extra=None):
    send(conn, status, reason, json.dumps(obj, ensure_ascii=False).encode(), extra=extra)


def send_error(conn, status, code, message):
    send_json(conn, status, "Error", {"error": {"code": code, "message": message}})


def official_number():
    with STATE["lock"]:
        STATE["serial"] += 1
        return "ZW20260309%08d" % STATE["serial"]


def good_case_answer(provisional, official=None):
    return {
        "official_number": official or official_number(),
        "provisional_number": provisional,
        "status": "received",
        "status_text": "已受理",
        "due_date": "2026-03-12",
    }


def trickle(conn, prefix, interval, data):
    """Sends @prefix, then @data one byte every @interval s (at most 120 s)."""
    conn.sendall(prefix)
    end = time.monotonic() + 120
    for b in data:
        if time.monotonic() > end:
            return
        time.sleep(interval)
        conn.sendall(bytes([b]))


def huge_answer(provisional, mib):
    """A valid case answer padded with a string member to about @mib MiB."""
    head = json.dumps(good_case_answer(provisional))[:-1].encode() + b', "pad": "'
    tail = b'"}'
    return head, mib << 20, tail


def stream_huge(conn, status, provisional, mib, with_length, gzip=False):
    head, pad, tail = huge_answer(provisional, mib)
    block = b"a" * (1 << 20)
    if gzip:
        z = zlib.compressobj(9, zlib.DEFLATED, 31)
        parts = [z.compress(head)]
        for _ in range(pad >> 20):
            parts.append(z.compress(block))
        parts.append(z.compress(tail))
        parts.append(z.flush())
        body = b"".join(parts)
        send(conn, status, "Created", body, extra={"Content-Encoding": "gzip"})
        return
    total = len(head) + pad + len(tail)
    lines = "HTTP/1.1 %d Created\r\nConnection: close\r\nContent-Type: application/json\r\n" % status
    if with_length:
        lines += "Content-Length: %d\r\n" % total
    conn.sendall(lines.encode() + b"\r\n" + head)
    for _ in range(pad >> 20):
        conn.sendall(block)
    conn.sendall(tail)


def handle_attachment(conn, method, path, headers, body):
    sha = path.split("/")[3].split("?")[0]
    with STATE["lock"]:
        held = STATE["uploads"].get(sha)
    if method == "GET":
        if held is None:
            send_error(conn, 404, "not_found", "no such attachment")
        else:
            size = int(path.split("size=")[1]) if "size=" in path else len(held)
            done = hashlib.sha256(held).hexdigest() == sha
            send_json(conn, 200, "OK", {"sha256": sha, "size": size, "offset": len(held), "complete": done})
        return
    offset = int(headers.get("upload-offset", "-1"))
    total = int(headers.get("upload-length", "-1"))
    held = held or bytearray()
    if offset != len(held):
        send_json(conn, 409, "Conflict", {"error": {"code": "offset_mismatch", "message": "offset"},
                                          "offset": len(held)})
        return
    held += body
    with STATE["lock"]:
        STATE["uploads"][sha] = held
    complete = len(held) == total and hashlib.sha256(held).hexdigest() == sha
    send_json(conn, 200, "OK", {"offset": len(held), "complete": complete})


def handle_case(conn, mode, args, body):
    if mode == "attachment-lies":
        # As the platform would: the pages named are not all there.
        send_error(conn, 409, "attachment_incomplete", "an attachment named by the case is not fully uploaded")
        return
    try:
        case = json.loads(body)
        provisional = case.get("provisional_number", "")
    except ValueError:
        send_error(conn, 400, "invalid_json", "the body must be a JSON object")
        return
    with STATE["lock"]:
        STATE["last_provisional"] = provisional
    other = STATE["other_port"]
    good = good_case_answer(provisional)

    if mode == "not-modified":
        send(conn, 304, "Not Modified", None)
    elif mode == "redirect-other-port":
        send(conn, 302, "Found", b"", extra={"Location": "http://127.0.0.1:%d/v1/cases" % other})
    elif mode == "redirect-307-other-port":
        send(conn, 307, "Temporary Redirect", b"", extra={"Location": "http://127.0.0.1:%d/v1/cases" % other})
    elif mode == "redirect-other-host":
        send(conn, 307, "Temporary Redirect", b"", extra={"Location": "http://localhost:%d/v1/cases" % other})
    elif mode == "redirect-to-http":
        send(conn, 302, "Found", b"", extra={"Location": "http://127.0.0.1:%d/v1/cases" % other})
    elif mode == "redirect-empty":
        send(conn, 302, "Found", b"", extra={"Location": "/empty"})
    elif mode == "empty-201":
        send(conn, 201, "Created", b"")
    elif mode == "empty-204":
        send(conn, 204, "No Content", None)
    elif mode == "null-201":
        send(conn, 201, "Created", b"null")
    elif mode == "array-201":
        send(conn, 201, "Created", b"[]")
    elif mode == "error-200":
        send_json(conn, 200, "OK", {"error": {"code": "invalid_case", "message": "refused"}})
    elif mode == "html-200":
        send(conn, 200, "OK", b"<html><body>Welcome to the portal</body></html>", ctype="text/html")
    elif mode == "missing-official":
        del good["official_number"]
        send_json(conn, 201, "Created", good)
    elif mode == "wrong-provisional":
        good["provisional_number"] = "K-OTHER-20260309-000001X"
        send_json(conn, 201, "Created", good)
    elif mode == "duplicate-official":
        send_json(conn, 201, "Created", good_case_answer(provisional, "ZW2026030900000001"))
    elif mode == "slow-headers":
        trickle(conn, b"HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nX-Slow: ", args.interval,
                b"a" * 10000)
    elif mode == "slow-body":
        data = json.dumps(good).encode()
        conn.sendall(b"HTTP/1.1 201 Created\r\nConnection: close\r\nContent-Type: application/json\r\n"
                     b"Content-Length: %d\r\n\r\n" % (len(data) + 10000))
        trickle(conn, b"", args.interval, b" " * 10000 + data)
    elif mode == "huge-headers":
        conn.sendall(b"HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nX-Pad: ")
        block = b"a" * (1 << 20)
        for _ in range(args.huge_mib):
            conn.sendall(block)
        conn.sendall(b"\r\nContent-Length: 2\r\n\r\n{}")
    elif mode == "huge-body":
        stream_huge(conn, 201, provisional, args.huge_mib, True)
    elif mode == "huge-chunked":
        stream_huge(conn, 201, provisional, args.huge_mib, False)
    elif mode == "gzip-bomb":
        stream_huge(conn, 201, provisional, args.huge_mib, True, gzip=True)
    elif mode == "forbidden-403":
        send(conn, 403, "Forbidden", b"<html><body>403 Forbidden</body></html>", ctype="text/html")
    elif mode == "proxy-407":
        send(conn, 407, "Proxy Authentication Required", b"<html>proxy</html>", ctype="text/html",
             extra={"Proxy-Authenticate": 'Basic realm="gateway"'})
    elif mode == "forbidden-403-platform":
        send_error(conn, 403, "kiosk_not_registered", "this kiosk is not registered")
    elif mode == "escape-reason":
        message = "\x1b[2J\x1b[1;31mALL CASES DELETED\x07\x9b31m\u202eevil\u2066\r\nX"
        body = json.dumps({"error": {"code": "invalid_case\x1b[5m", "message": message}}).encode()
        conn.sendall(b"HTTP/1.1 422 \x1b[2J\x1b]0;pwned\x07Unprocessable\r\nConnection: close\r\n"
                     b"Content-Type: application/json\r\nContent-Length: %d\r\n\r\n" % len(body) + body)
    else:
        send_json(conn, 201, "Created", good)


def handle_main(conn, _, args):
    req = read_request(conn)
    if req is None:
        return
    method, path, headers, body = req
    with STATE["lock"]:
        mode = STATE["mode"]
        if not path.startswith("/hostile/"):
            STATE["log"]["main"].append("%s %s" % (method, path))
    if path == "/hostile/log":
        with STATE["lock"]:
            send_json(conn, 200, "OK", dict(STATE["log"], mode=mode))
    elif path.startswith("/hostile/mode/"):
        new = path[len("/hostile/mode/"):]
        if new not in MODES:
            send_error(conn, 404, "not_found", "no such mode")
            return
        with STATE["lock"]:
            STATE["mode"] = new
            STATE["log"] = {"main": [], "other": []}
            STATE["uploads"] = {}
        send_json(conn, 200, "OK", {"mode": new})
    elif path == "/empty":
        send(conn, 200, "OK", b"", ctype="text/plain")
    elif path == "/v1/catalog" and method == "GET":
        if mode == "slow-catalog":
            trickle(conn, b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-Slow: ", args.interval,
                    b"a" * 10000)
        elif mode == "huge-catalog":
            head = b'{"version": "huge", "items": [], "not_offered": {}, "pad": "'
            conn.sendall(b"HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Type: application/json\r\nETag: \"h\"\r\n"
                         b"Content-Length: %d\r\n\r\n" % (len(head) + (args.huge_mib << 20) + 2) + head)
            block = b"a" * (1 << 20)
            for _ in range(args.huge_mib):
                conn.sendall(block)
            conn.sendall(b'"}')
        elif headers.get("if-none-match") == '"c1"':
            send(conn, 304, "Not Modified", None, extra={"ETag": '"c1"'})
        else:
            send(conn, 200, "OK", CATALOG, extra={"ETag": '"c1"'})
    elif path == "/v1/notices" and method == "GET":
        if headers.get("if-none-match") == '"n1"':
            send(conn, 304, "Not Modified", None, extra={"ETag": '"n1"'})
        else:
            send(conn, 200, "OK", NOTICES, extra={"ETag": '"n1"'})
    elif path.startswith("/v1/attachments/") and mode == "attachment-lies":
        send_json(conn, 200, "OK", {"sha256": path.split("/")[3].split("?")[0], "offset": 0, "complete": True})
    elif path.startswith("/v1/attachments/"):
        handle_attachment(conn, method, path, headers, body)
    elif path == "/v1/cases" and method == "POST":
        handle_case(conn, mode, args, body)
    elif path == "/v1/heartbeat" and method == "POST":
        send_json(conn, 200, "OK", {"server_time": int(time.time())})
    elif path.startswith("/v1/") and method == "POST":
        kind = path.rsplit("/", 1)[1].replace("-", "_").rstrip("s")
        if mode == "record-not-received":
            send_json(conn, 201, "Created", {"received": False, "kind": kind})
        elif mode == "record-wrong-kind":
            send_json(conn, 201, "Created", {"received": True, "kind": "print_record"})
        else:
            send_json(conn, 201, "Created", {"received": True, "kind": kind})
    else:
        send_error(conn, 404, "not_found", "no such resource")


def handle_other(conn, mode, args):
    """The redirect target: a perfect platform, to catch a client there."""
    req = read_request(conn)
    if req is None:
        return
    method, path, headers, body = req
    with STATE["lock"]:
        STATE["log"]["other"].append("%s %s" % (method, path))
        provisional = STATE["last_provisional"]
    try:
        provisional = json.loads(body).get("provisional_number", provisional)
    except (ValueError, AttributeError):
        pass
    send_json(conn, 201, "Created", good_case_answer(provisional))


def serve(sock, handler, mode, args, tls=None):
    def run(conn):
        try:
            conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            if tls:
                conn = tls.wrap_socket(conn, server_side=True)
            handler(conn, mode, args)
        except (BrokenPipeError, ConnectionResetError, ssl.SSLError, OSError):
            pass
        finally:
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            conn.close()

    while True:
        conn, _ = sock.accept()
        threading.Thread(target=run, args=(conn,), daemon=True).start()


def listener():
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("127.0.0.1", 0))
    s.listen(64)
    return s


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mode", default="ok", choices=sorted(MODES))
    parser.add_argument("--interval", type=float, default=1.0, help="seconds between trickled bytes")
    parser.add_argument("--huge-mib", type=int, default=128, help="size of the huge answers")
    parser.add_argument("--tls-cert", help="serve HTTPS with this certificate (PEM)")
    parser.add_argument("--tls-key", help="the certificate's key (PEM)")
    args = parser.parse_args()
    tls = None
    if args.tls_cert:
        tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        tls.load_cert_chain(args.tls_cert, args.tls_key)

    STATE["mode"] = args.mode
    main_sock, other_sock = listener(), listener()
    STATE["other_port"] = other_sock.getsockname()[1]
    threading.Thread(target=serve, args=(other_sock, handle_other, args.mode, args), daemon=True).start()
    print("listening on %s://127.0.0.1:%d/" % ("https" if tls else "http", main_sock.getsockname()[1]), flush=True)
    try:
        serve(main_sock, handle_main, args.mode, args, tls)
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
