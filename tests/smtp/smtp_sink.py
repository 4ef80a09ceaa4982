#!/usr/bin/python3
"""A real SMTP server for the tests (Debian's python3-aiosmtpd).

Usage: smtp_sink.py PORT_FILE MAIL_DIR [PORT [USER:PASSWORD]]

Listens on 127.0.0.1 (an ephemeral port when PORT is absent or 0; with
USER:PASSWORD it offers AUTH, without TLS, and takes only that login), writes the
port to PORT_FILE, and saves each message accepted as MAIL_DIR/N.eml (the raw
bytes as received) and MAIL_DIR/N.txt (envelope recipients, the decoded
subject and the decoded body), so a test can search both. Runs until killed.
"""
import email
import email.policy
import os
import signal
import socket
import sys
import threading

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


class Saver:
    def __init__(self, folder):
        self.folder = folder
        self.lock = threading.Lock()
        self.n = len([f for f in os.listdir(folder) if f.endswith(".eml")])

    async def handle_DATA(self, server, session, envelope):
        raw = envelope.original_content or envelope.content
        if isinstance(raw, str):
            raw = raw.encode("utf-8")
        msg = email.message_from_bytes(raw, policy=email.policy.default)
        text = "RCPT: " + ",".join(envelope.rcpt_tos) + "\n"
        text += "Subject: " + str(msg["subject"]) + "\n\n"
        text += msg.get_content() if not msg.is_multipart() else ""
        with self.lock:
            self.n += 1
            base = os.path.join(self.folder, "%d" % self.n)
        # The decoded text first, the raw mail last: a test that sees the
        # .eml finds its .txt already there.
        with open(base + ".txt.tmp", "w", encoding="utf-8") as f:
            f.write(text)
        os.rename(base + ".txt.tmp", base + ".txt")
        with open(base + ".eml.tmp", "wb") as f:
            f.write(raw)
        os.rename(base + ".eml.tmp", base + ".eml")
        return "250 OK"


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def main():
    port_file, folder = sys.argv[1], sys.argv[2]
    port = int(sys.argv[3]) if len(sys.argv) > 3 and sys.argv[3] != "0" else free_port()
    os.makedirs(folder, exist_ok=True)
    kwargs = {}
    if len(sys.argv) > 4:
        user, password = sys.argv[4].encode().split(b":", 1)

        def authenticator(server, session, envelope, mechanism, auth_data):
            ok = isinstance(auth_data, LoginPassword) and auth_data.login == user and auth_data.password == password
            return AuthResult(success=ok, handled=False)

        kwargs = {"authenticator": authenticator, "auth_require_tls": False}
    controller = Controller(Saver(folder), hostname="127.0.0.1", port=port, **kwargs)
    controller.start()
    with open(port_file + ".tmp", "w") as f:
        f.write("%d\n" % port)
    os.rename(port_file + ".tmp", port_file)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *a: stop.set())
    signal.signal(signal.SIGINT, lambda *a: stop.set())
    stop.wait()
    controller.stop()


if __name__ == "__main__":
    main()
