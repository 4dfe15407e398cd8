#!/usr/bin/env python3
"""Writes a large mixed log for the log-engine benchmark (tests/bench/logs/bench.sh).

Usage: genlog.py OUTPUT SIZE_MB [SEED]

Realistic proportions for a DS container's `docker logs` during an incident: about 80 %
nginx access lines (mostly 200, some 4xx/5xx), 12 % nginx error lines (connect() failed to
docservice, timeouts, client-closed), 8 % Document Server log4js lines (noise, errors, stack
traces). A 32 MiB block of distinct lines is generated, then repeated with shifted times.
"""
import random
import sys

def block(rng, target):
    paths = ["/healthcheck", "/web-apps/apps/api/documents/api.js", "/8.2.0-123/doc/k%d/c/?EIO=4&transport=websocket",
             "/cache/files/data/k%d/output.docx/output.docx?md5=abc&expires=1", "/ConvertService.ashx", "/coauthoring/CommandService.ashx",
             "/welcome/", "/example/", "/sdkjs/word/sdk-all.js", "/fonts/%03d"]
    agents = ["Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36",
              "Nextcloud Server Crawler", "curl/7.88.1", "GuzzleHttp/7"]
    out = []
    size = 0
    n = 0
    while size < target:
        n += 1
        sec = n // 50
        hh, mm, ss = (sec // 3600) % 24, (sec // 60) % 60, sec % 60
        r = rng.random()
        if r < 0.80:
            p = rng.choice(paths)
            if "%" in p:
                p = p % rng.randrange(1000)
            st = rng.choices([200, 304, 404, 403, 413, 499, 502, 503, 504], [80, 5, 4, 1, 0.2, 1, 6, 1, 1.8])[0]
            line = '172.18.0.%d - - [22/Oct/2024:%02d:%02d:%02d +0000] "GET %s HTTP/1.1" %d %d "-" "%s"' % (
                rng.randrange(2, 250), hh, mm, ss, p, st, rng.randrange(100, 90000), rng.choice(agents))
        elif r < 0.92:
            k = rng.random()
            head = "2024/10/22 %02d:%02d:%02d [error] %d#%d: *%d " % (hh, mm, ss, 100 + n % 7, 100 + n % 7, n)
            if k < 0.55:
                up = rng.choice(["http://127.0.0.1:8000/healthcheck", "http://[::1]:8000/healthcheck", "http://127.0.0.1:3000/"])
                req = "/example/" if up.endswith(":3000/") else "/healthcheck"
                line = head + ('connect() failed (111: Connection refused) while connecting to upstream, client: 10.0.0.%d, '
                               'server: , request: "GET %s HTTP/1.1", upstream: "%s", host: "docs.example"' % (n % 200, req, up))
            elif k < 0.75:
                line = head + ('upstream timed out (110: Connection timed out) while reading response header from upstream, '
                               'client: 10.0.0.4, server: , request: "POST /ConvertService.ashx HTTP/1.1", '
                               'upstream: "http://127.0.0.1:8000/ConvertService.ashx", host: "docs.example"')
            elif k < 0.85:
                line = head + ('upstream prematurely closed connection while reading response header from upstream, client: 10.0.0.4, '
                               'server: , request: "GET /doc/k/c/?EIO=4&transport=polling HTTP/1.1", upstream: "http://127.0.0.1:8000/doc/k/c/", host: "d"')
            else:
                line = head.replace("[error]", "[info]") + ("epoll_wait() reported that client prematurely closed connection, so upstream "
                                                            "connection is closed too while reading upstream, client: 10.0.0.9, server: , "
                                                            "request: \"GET /x HTTP/1.1\", upstream: \"http://127.0.0.1:8000/x\", host: \"d\"")
        else:
            k = rng.random()
            head = "[2024-10-22T%02d:%02d:%02d.%03d] " % (hh, mm, ss, n % 1000)
            if k < 0.5:
                line = head + "[INFO] [localhost] [doc%d] [uid-%d] nodeJS - Start Command: {\"c\":\"saveto\",\"id\":\"%d\"}" % (n % 999, n % 77, n)
            elif k < 0.7:
                line = head + "[ERROR] [localhost] [docId] [userId] nodeJS - [AMQP] Error: connect ECONNREFUSED 127.0.0.1:5672\n    at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1555:16)"
            elif k < 0.8:
                line = head + ("[ERROR] [localhost] [doc%d] [userId] nodeJS - error downloadFile:url=https://cloud.example/index.php/apps/onlyoffice/download?fileId=%d;"
                               "attempt=3;code:ECONNREFUSED;connect:null Error: connect ECONNREFUSED 10.0.0.7:443\n    at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1555:16)" % (n % 999, n))
            elif k < 0.9:
                line = head + "[WARN] [localhost] [doc%d] [userId] nodeJS - checkJwt error: name = JsonWebTokenError message = invalid signature token = undefined" % (n % 999)
            else:
                line = head + "[WARN] [localhost] [docId] [userId] nodeJS - io.connection_error code=3, message=Bad request"
        out.append(line)
        size += len(line) + 1
    return "\n".join(out) + "\n"

def main():
    path, mb = sys.argv[1], int(sys.argv[2])
    rng = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 7)
    data = block(rng, 32 << 20).encode()
    total = mb << 20
    with open(path, "wb") as f:
        written = 0
        while written < total:
            chunk = data[: total - written]
            f.write(chunk)
            written += len(chunk)
        if not chunk.endswith(b"\n"):
            f.write(b"\n")

if __name__ == "__main__":
    main()
