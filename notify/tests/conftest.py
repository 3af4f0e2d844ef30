"""A fake SMS and WhatsApp gateway on 127.0.0.1 for the HTTP backends, and outbox settings
for tests."""

from __future__ import annotations

import itertools
import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import pytest


@dataclass
class Recorded:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes

    @property
    def form(self) -> dict[str, str]:
        return {k: v[0] for k, v in parse_qs(self.body.decode()).items()}

    @property
    def json(self):
        return json.loads(self.body)


@dataclass
class FakeGateway:
    """Answers like Unifonic (/rest/SMS/messages), Taqnyat (/v1/messages) or the WhatsApp
    Cloud API (/v22.0/{phone number id}/messages).

    `script` is a list of answers used one per request, then `default`: "ok", 500, 400, 429,
    "hang" (answers only after `hang_seconds`), "refuse" (Unifonic's success: false), or
    "throttle" (WhatsApp's throughput limit, code 130429, sent with HTTP 400).
    """

    url: str = ""
    default: str | int = "ok"
    script: list = field(default_factory=list)
    hang_seconds: float = 3.0
    requests: list[Recorded] = field(default_factory=list)
    released: threading.Event = field(default_factory=threading.Event)
    _ids: itertools.count = field(default_factory=lambda: itertools.count(1000))
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def answer(self, recorded: Recorded) -> tuple[int, dict]:
        with self._lock:
            self.requests.append(recorded)
            mode = self.script.pop(0) if self.script else self.default
            message_id = next(self._ids)
        if mode == "hang":
            self.released.wait(self.hang_seconds)
            mode = "ok"
        if recorded.path.startswith("/v22.0/"):
            return self.whatsapp(mode, message_id)
        if mode == 500:
            return 500, {"message": "internal error"}
        if mode == 400:
            return 400, {"message": "invalid recipient", "errorCode": "ER-01"}
        if mode == "refuse":
            return 200, {"success": False, "message": "Invalid sender", "errorCode": "ER-11"}
        if recorded.path.startswith("/rest/SMS/messages"):
            return 200, {"success": True, "message": "", "data": {"MessageID": message_id}}
        return 201, {"statusCode": 201, "messageId": message_id, "cost": 1}

    @staticmethod
    def whatsapp(mode, message_id: int) -> tuple[int, dict]:
        def error(status: int, code: int, details: str) -> tuple[int, dict]:
            return status, {
                "error": {
                    "message": f"(#{code}) {details}",
                    "type": "OAuthException",
                    "code": code,
                    "error_data": {"messaging_product": "whatsapp", "details": details},
                    "fbtrace_id": "AbCdEf123",
                }
            }

        if mode == 500:
            return error(500, 131000, "Something went wrong")
        if mode == 400:
            return error(400, 131026, "Message undeliverable")
        if mode == 429:
            return error(429, 131056, "(Business Account, Consumer Account) pair rate limit hit")
        if mode == "throttle":
            return error(400, 130429, "Rate limit hit")
        return 200, {
            "messaging_product": "whatsapp",
            "contacts": [{"input": "966501234567", "wa_id": "966501234567"}],
            "messages": [{"id": f"wamid.HBgM{message_id}", "message_status": "accepted"}],
        }


@pytest.fixture
def gateway():
    fake = FakeGateway()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            length = int(self.headers.get("Content-Length", 0))
            recorded = Recorded(
                "POST",
                self.path,
                {k.lower(): v for k, v in self.headers.items()},
                self.rfile.read(length),
            )
            status, payload = fake.answer(recorded)
            body = json.dumps(payload).encode()
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            except OSError:
                pass  # the client gave up (a timeout test)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    server.block_on_close = False
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    fake.url = f"http://127.0.0.1:{server.server_address[1]}"
    yield fake
    fake.released.set()
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


@pytest.fixture
def unifonic(settings, gateway):
    settings.NOTIFY_SMS_BACKEND = "notify.backends.UnifonicSmsBackend"
    settings.UNIFONIC_BASE_URL = gateway.url
    settings.UNIFONIC_APP_SID = "test-app-sid"
    settings.NOTIFY_SMS_SENDER = "MafatihKhir"
    settings.NOTIFY_HTTP_TIMEOUT = 0.5
    return gateway


@pytest.fixture
def taqnyat(settings, gateway):
    settings.NOTIFY_SMS_BACKEND = "notify.backends.TaqnyatSmsBackend"
    settings.TAQNYAT_BASE_URL = gateway.url
    settings.TAQNYAT_TOKEN = "test-bearer-token"
    settings.NOTIFY_SMS_SENDER = "MafatihKhir"
    settings.NOTIFY_HTTP_TIMEOUT = 0.5
    return gateway


@pytest.fixture
def whatsapp(settings, gateway):
    settings.NOTIFY_WHATSAPP_BACKEND = "notify.backends.WhatsAppCloudBackend"
    settings.WHATSAPP_BASE_URL = gateway.url
    settings.WHATSAPP_API_VERSION = "v22.0"
    settings.WHATSAPP_PHONE_NUMBER_ID = "106540352242922"
    settings.WHATSAPP_TOKEN = "test-whatsapp-token"
    settings.WHATSAPP_TEMPLATE_NAME = "mustafid_notice"
    settings.WHATSAPP_TEMPLATE_LANGUAGE = "ar"
    settings.NOTIFY_HTTP_TIMEOUT = 0.5
    return gateway


@pytest.fixture
def outbox_file(settings, tmp_path):
    path = tmp_path / "outbox.jsonl"
    settings.NOTIFY_SMS_BACKEND = "notify.backends.FileBackend"
    settings.NOTIFY_WHATSAPP_BACKEND = "notify.backends.FileBackend"
    settings.NOTIFY_EMAIL_BACKEND = "notify.backends.FileBackend"
    settings.NOTIFY_FILE_PATH = str(path)
    return path
