"""Handlers for hook/process tests; the event's inputTranscript picks one."""

import logging
import os
import sys
import time

import helper  # a sibling module, as Lambda deployment packages have


def close(text, extra=None):
    resp = {
        "sessionState": {
            "dialogAction": {"type": "Close"},
            "intent": {"name": "OrderPizza", "state": "Fulfilled"},
            "sessionAttributes": extra or {},
        },
        "messages": [{"contentType": "PlainText", "content": text}],
    }
    return resp


def lambda_handler(event, context):
    what = event.get("inputTranscript", "")
    if what == "print":
        print("hello from python")
        print("two\nlines")
        sys.stderr.write("to stderr\n")
        logging.getLogger().setLevel(logging.INFO)
        logging.getLogger(__name__).info("via %s", "logging")
        return close("printed")
    if what == "context":
        return close("context", {
            "aws_request_id": context.aws_request_id,
            "function_name": context.function_name,
            "function_version": context.function_version,
            "invoked_function_arn": context.invoked_function_arn,
            "memory_limit_in_mb": str(context.memory_limit_in_mb),
            "log_group_name": context.log_group_name,
            "log_stream_name": context.log_stream_name,
            "remaining_positive": str(0 < context.get_remaining_time_in_millis() <= 10000),
            "pid": str(os.getpid()),
            "cwd": os.getcwd(),
            "helper": helper.NAME,
        })
    if what == "env":
        keys = event["sessionState"]["sessionAttributes"]["keys"].split(",")
        return close("env", {k: os.environ.get(k, "<unset>") for k in keys})
    if what == "barrier":
        # Both calls of the concurrency test must be inside the handler at
        # the same time: each marks its arrival and waits for the other.
        folder = event["sessionState"]["sessionAttributes"]["folder"]
        open(os.path.join(folder, str(os.getpid())), "w").close()
        while len(os.listdir(folder)) < 2:
            time.sleep(0.01)
        return close("barrier", {"pid": str(os.getpid())})
    if what == "keyerror":
        return event["sessionState"]["slots"]
    if what == "set":
        return {"sessionState": {1, 2}}
    if what == "exit0":
        sys.exit(0)
    return close("ok")
