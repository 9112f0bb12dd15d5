"""Calls RecognizeText with boto3, credentials from the environment.

Usage: python3 boto3_recognize.py ENDPOINT_URL BOT_ID LOCALE_ID < calls.json

calls.json is a JSON array of {"sessionId", "text"}. Prints a JSON array
with one result per call: {"response"} or {"error": {"code", "message",
"status", "modeled"}} when boto3 raised a ClientError; "modeled" tells
whether boto3 raised the Lex V2 model's own exception class.
"""

import json
import sys

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError


def main():
    endpoint, bot, locale = sys.argv[1:4]
    client = boto3.client(
        "lexv2-runtime",
        endpoint_url=endpoint,
        region_name="us-east-1",
        config=Config(retries={"max_attempts": 1, "mode": "standard"}),
    )
    results = []
    for c in json.load(sys.stdin):
        try:
            resp = client.recognize_text(botId=bot, botAliasId="TSTALIASID", localeId=locale,
                                         sessionId=c["sessionId"], text=c["text"])
            resp.pop("ResponseMetadata", None)
            results.append({"response": resp})
        except ClientError as e:
            code = e.response["Error"]["Code"]
            modeled = getattr(client.exceptions, code, None)
            results.append({"error": {
                "code": code,
                "message": e.response["Error"].get("Message", ""),
                "status": e.response["ResponseMetadata"]["HTTPStatusCode"],
                "modeled": modeled is not None and isinstance(e, modeled),
                "retryAfter": e.response["ResponseMetadata"].get("HTTPHeaders", {}).get("retry-after", ""),
            }})
    json.dump(results, sys.stdout, ensure_ascii=False, default=str)


if __name__ == "__main__":
    main()
