"""Signing BBB API calls and one-off requests (set-up and checks, never the load itself)."""

import base64
import hashlib
import http.client
import json
import urllib.parse
import xml.etree.ElementTree as ET


def query_of(params):
    """A query string as a frontend writes it (form-escaped, in the order given)."""
    return urllib.parse.urlencode(params, quote_via=urllib.parse.quote_plus)


def signed_query(call, params, secret):
    query = query_of(params)
    checksum = hashlib.sha256((call + query + secret).encode()).hexdigest()
    return f"{query}&checksum={checksum}" if query else f"checksum={checksum}"


def b3scale_path(frontend_key, secret, call, params):
    """Request target of a BBB call through b3scaled for frontend `frontend_key`."""
    return f"/bbb/{frontend_key}/bigbluebutton/api/{call}?{signed_query(call, params, secret)}"


def backend_path(base_url, secret, call, params):
    """Request target of a BBB call straight to a (fake) backend whose API is `base_url`."""
    prefix = urllib.parse.urlsplit(base_url).path.rstrip("/")
    return f"{prefix}/{call}?{signed_query(call, params, secret)}"


def encode_meeting_id(frontend_key, meeting_id):
    """b3scale's tenant encoding, as the backends see the id (plain ASCII ids only)."""
    raw = json.dumps([frontend_key, meeting_id, "b3scl"], separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode()


class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body

    def xml_field(self, name):
        try:
            node = ET.fromstring(self.body).find(name)
        except ET.ParseError:
            return None
        return None if node is None else (node.text or "")


def get(port, path, timeout=30):
    """GET http://127.0.0.1:<port><path>, redirects not followed."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path)
        r = conn.getresponse()
        return Response(r.status, dict(r.getheaders()), r.read())
    finally:
        conn.close()


def get_many(port, paths, workers=16):
    """GETs every path over `workers` keep-alive connections; returns the responses in order.
    For set-up steps that need an exact number of requests (wrk is bounded by time)."""
    import concurrent.futures
    import threading

    local = threading.local()

    def one(path):
        conn = getattr(local, "conn", None)
        if conn is None:
            conn = local.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        conn.request("GET", path)
        r = conn.getresponse()
        return Response(r.status, dict(r.getheaders()), r.read())

    with concurrent.futures.ThreadPoolExecutor(workers) as pool:
        return list(pool.map(one, paths))
