"""Calls RecognizeText with boto3.

Usage: python3 boto3_recognize.py ENDPOINT_URL BOT_ID LOCALE_ID < calls.json

calls.json is a JSON array of {"sessionId", "text"} with, optionally,
"accessKeyId" and "secretAccessKey" to sign that call with (otherwise the
environment's credentials sign it). Prints a JSON array
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
    clients = {}

    def client_for(c):
        creds = (c.get("accessKeyId"), c.get("secretAccessKey"))
        if creds not in clients:
            clients[creds] = boto3.client(
                "lexv2-runtime",
                endpoint_url=endpoint,
                region_name="us-east-1",
                aws_access_key_id=creds[0],
                aws_secret_access_key=creds[1],
                config=Config(retries={"max_attempts": 1, "mode": "standard"}),
            )
        return clients[creds]

    results = []
    for c in json.load(sys.stdin):
        client = client_for(c)
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
