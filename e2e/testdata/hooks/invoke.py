"""Runs a Lex V2 Lambda handler once, the way AWS Lambda would.

Usage: python3 invoke.py PATH/lambda_function.py < event.json > response.json

The fake Lambda endpoint in e2e/hooks_test.go pipes each Invoke payload
through this shim, so the function it runs is the same file Parley's local
runner loads. The handler's print output goes to stderr; stdout carries
only the JSON result. A raised exception exits 1 with Lambda's error
document ({"errorMessage", "errorType"}) on stdout.
"""

import contextlib
import importlib.util
import json
import sys
import uuid


class Context:
    """The subset of Lambda's context object handlers commonly use."""

    def __init__(self, name):
        self.function_name = name
        self.function_version = "$LATEST"
        self.invoked_function_arn = f"arn:aws:lambda:us-east-1:000000000000:function:{name}"
        self.memory_limit_in_mb = 128
        self.aws_request_id = str(uuid.uuid4())
        self.log_group_name = f"/aws/lambda/{name}"
        self.log_stream_name = "e2e"

    def get_remaining_time_in_millis(self):
        return 30000


def main():
    path = sys.argv[1]
    spec = importlib.util.spec_from_file_location("lambda_function", path)
    module = importlib.util.module_from_spec(spec)
    event = json.load(sys.stdin)
    with contextlib.redirect_stdout(sys.stderr):
        spec.loader.exec_module(module)
        try:
            result = module.lambda_handler(event, Context("PizzaOrders"))
        except Exception as e:  # Lambda reports any exception as a function error.
            error = {"errorMessage": str(e), "errorType": type(e).__name__}
            sys.__stdout__.write(json.dumps(error))
            sys.exit(1)
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main()
