"""Parley's Lambda-like runtime for one Python handler.

Run as: python3 -B bootstrap.py HANDLER_FILE HANDLER_NAME

Requests arrive on fd 3, one JSON line each: {"id", "deadlineMs", "event"}.
Frames go out on fd 4: a JSON header line {"kind", "id", "size", ...}
followed by size bytes of payload. stdout and stderr are left to the
handler; print() and sys.stderr are captured per line and sent as "log"
frames so they carry the request id and keep their order with the answer.
"""

import decimal
import importlib
import json
import logging
import os
import sys
import threading
import time
import traceback

_out_lock = threading.Lock()
_current = {"id": ""}


def _send(kind, request_id="", payload=b"", **fields):
    header = dict(fields, kind=kind, id=request_id, size=len(payload))
    data = json.dumps(header, separators=(",", ":")).encode() + b"\n" + payload
    with _out_lock:
        view = memoryview(data)
        while view:
            n = os.write(4, view)
            view = view[n:]


class _LogStream:
    """A text stream that sends each complete line as a log frame."""

    encoding = "utf-8"
    errors = "replace"

    def __init__(self, level, fd):
        self._level = level
        self._fd = fd
        self._buf = ""
        self._lock = threading.Lock()

    def write(self, s):
        if not isinstance(s, str):
            raise TypeError("write() argument must be str, not %s" % type(s).__name__)
        with self._lock:
            self._buf += s
            *lines, self._buf = self._buf.split("\n")
        for line in lines:
            _send("log", _current["id"], line.encode("utf-8", "replace"), level=self._level)
        return len(s)

    def writelines(self, lines):
        for line in lines:
            self.write(line)

    def flush(self):
        with self._lock:
            rest, self._buf = self._buf, ""
        if rest:
            _send("log", _current["id"], rest.encode("utf-8", "replace"), level=self._level)

    def fileno(self):
        return self._fd

    def isatty(self):
        return False

    def readable(self):
        return False

    def writable(self):
        return True

    def seekable(self):
        return False

    @property
    def closed(self):
        return False


class _LambdaLogHandler(logging.Handler):
    """Lambda's root logging handler: logger.info() and friends reach the
    log (subject to the root logger's level, WARNING unless the handler
    sets another, as in Lambda)."""

    def emit(self, record):
        try:
            text = record.getMessage()
            if record.exc_info:
                text += "\n" + "".join(traceback.format_exception(*record.exc_info)).rstrip("\n")
            level = {"WARNING": "WARN", "CRITICAL": "ERROR"}.get(record.levelname, record.levelname)
            _send("log", getattr(record, "aws_request_id", _current["id"]), text.encode("utf-8", "replace"), level=level)
        except Exception:
            self.handleError(record)


class LambdaContext:
    """The context object of the Python Lambda runtime."""

    def __init__(self, request_id, deadline_ms):
        env = os.environ
        name = env.get("AWS_LAMBDA_FUNCTION_NAME", "")
        self.aws_request_id = request_id
        self.function_name = name
        self.function_version = env.get("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST")
        self.invoked_function_arn = "arn:aws:lambda:%s:000000000000:function:%s" % (
            env.get("AWS_REGION", "us-east-1"),
            name,
        )
        self.memory_limit_in_mb = env.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "128")
        self.log_group_name = env.get("AWS_LAMBDA_LOG_GROUP_NAME", "")
        self.log_stream_name = env.get("AWS_LAMBDA_LOG_STREAM_NAME", "")
        self.identity = None
        self.client_context = None
        self._deadline_ms = deadline_ms

    def get_remaining_time_in_millis(self):
        return max(int(self._deadline_ms - time.time() * 1000), 0)


def _where(tb, root):
    """The deepest frame in the handler's folder (else the deepest frame)."""
    frames = traceback.extract_tb(tb)
    if not frames:
        return ""
    chosen = frames[-1]
    for frame in reversed(frames):
        if os.path.abspath(frame.filename).startswith(root + os.sep):
            chosen = frame
            break
    name = os.path.relpath(os.path.abspath(chosen.filename), root)
    if name.startswith(".."):
        name = os.path.basename(chosen.filename)
    return "%s line %d" % (name, chosen.lineno)


def _error(exc, root, error_type=None, message=None):
    tb = exc.__traceback__
    return json.dumps(
        {
            "errorType": error_type or type(exc).__name__,
            "errorMessage": str(exc) if message is None else message,
            "where": _where(tb, root),
            "stackTrace": traceback.format_list(traceback.extract_tb(tb)),
        },
        ensure_ascii=False,
    ).encode()


def _decimal(o):
    # boto3 returns DynamoDB numbers as Decimal; Lambda's runtime answers
    # them as floats rather than failing.
    if isinstance(o, decimal.Decimal):
        return float(o)
    raise TypeError("Object of type %s is not JSON serializable" % type(o).__name__)


def _load(path, handler_name):
    root = os.path.dirname(os.path.abspath(path))
    module_name = os.path.splitext(os.path.basename(path))[0]
    try:
        module = importlib.import_module(module_name)
    except SyntaxError as exc:
        detail = "%s (%s, line %s)" % (exc.msg, os.path.basename(exc.filename or path), exc.lineno)
        _send("init_error", "", json.dumps({
            "errorType": "Runtime.UserCodeSyntaxError",
            "errorMessage": "Syntax error in module '%s': %s" % (module_name, detail),
            "where": "%s line %s" % (os.path.basename(exc.filename or path), exc.lineno),
        }).encode())
        return None
    except ImportError as exc:
        _send("init_error", "", _error(exc, root, "Runtime.ImportModuleError",
                                       "Unable to import module '%s': %s" % (module_name, exc)))
        return None
    except BaseException as exc:
        _send("init_error", "", _error(exc, root))
        return None
    handler = getattr(module, handler_name, None)
    if not callable(handler):
        _send("init_error", "", json.dumps({
            "errorType": "Runtime.HandlerNotFound",
            "errorMessage": "Handler '%s' missing on module '%s'" % (handler_name, module_name),
        }).encode())
        return None
    return handler


def main():
    path, handler_name = sys.argv[1], sys.argv[2]
    root = os.path.dirname(os.path.abspath(path))
    # The protocol pipes must not leak into processes the handler starts.
    os.set_inheritable(3, False)
    os.set_inheritable(4, False)
    # Import from the handler's folder, as Lambda does from its task root,
    # and not from this bootstrap's folder.
    sys.path[0] = root
    requests = os.fdopen(3, "rb")
    stdout, stderr = _LogStream("INFO", 1), _LogStream("WARN", 2)
    sys.stdout, sys.stderr = stdout, stderr
    logging.getLogger().addHandler(_LambdaLogHandler())

    handler = _load(path, handler_name)
    if handler is None:
        stdout.flush()
        stderr.flush()
        return 1
    stdout.flush()
    stderr.flush()
    _send("ready")

    for line in requests:
        request = json.loads(line)
        request_id = request["id"]
        _current["id"] = request_id
        context = LambdaContext(request_id, request["deadlineMs"])
        try:
            result = handler(request["event"], context)
        except Exception as exc:
            stdout.flush()
            stderr.flush()
            _send("error", request_id, _error(exc, root))
            continue
        stdout.flush()
        stderr.flush()
        try:
            payload = json.dumps(result, ensure_ascii=False, default=_decimal).encode()
        except (TypeError, ValueError) as exc:
            _send("invalid", request_id, ("Unable to marshal response: %s" % exc).encode())
            continue
        _send("result", request_id, payload)
    return 0


if __name__ == "__main__":
    sys.exit(main())
