"""Drives Parley's Lex V2 runtime API with boto3, unchanged.

Usage: python3 boto3_client.py ENDPOINT_URL < calls.json

calls.json is a JSON array of calls, each {"op", "botId", "botAliasId",
"localeId", "sessionId", and per op "text", "sessionState", "messages",
"requestAttributes"}; op is recognizeText, recognizeUtterance, putSession,
getSession or deleteSession. Prints a JSON array with one result per call:
{"op", "response"} on success, with the gzip+base64 headers of PutSession
and RecognizeUtterance decoded, or {"op", "error": {"code", "message",
"status", "modeled"}} when boto3 raised a ClientError. The Go test asserts
on the results.
"""

import base64
import gzip
import json
import sys

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError


def decode_json(value):
    if value is None:
        return None
    return json.loads(gzip.decompress(base64.b64decode(value)))


def decode_text(value):
    if value is None:
        return None
    return gzip.decompress(base64.b64decode(value)).decode("utf-8")


def encode_json(value):
    return base64.b64encode(gzip.compress(json.dumps(value).encode("utf-8"))).decode("ascii")


def call(client, c):
    key = {k: c[k] for k in ("botId", "botAliasId", "localeId", "sessionId")}
    op = c["op"]
    if op == "recognizeText":
        kw = dict(key, text=c["text"])
        for k in ("sessionState", "requestAttributes"):
            if k in c:
                kw[k] = c[k]
        return client.recognize_text(**kw)
    if op == "recognizeUtterance":
        kw = dict(key, requestContentType="text/plain; charset=utf-8",
                  responseContentType="text/plain; charset=utf-8",
                  inputStream=c["text"].encode("utf-8"))
        # boto3 leaves the header encoding to the caller, as Lex documents.
        if "sessionState" in c:
            kw["sessionState"] = encode_json(c["sessionState"])
        if "requestAttributes" in c:
            kw["requestAttributes"] = encode_json(c["requestAttributes"])
        resp = client.recognize_utterance(**kw)
        out = {
            "inputMode": resp.get("inputMode"),
            "contentType": resp.get("contentType"),
            "sessionId": resp.get("sessionId"),
            "messages": decode_json(resp.get("messages")),
            "interpretations": decode_json(resp.get("interpretations")),
            "sessionState": decode_json(resp.get("sessionState")),
            "requestAttributes": decode_json(resp.get("requestAttributes")),
            "inputTranscript": decode_text(resp.get("inputTranscript")),
            "audioBytes": len(resp["audioStream"].read()),
        }
        return out
    if op == "putSession":
        kw = dict(key, sessionState=c["sessionState"])
        for k in ("messages", "requestAttributes"):
            if k in c:
                kw[k] = c[k]
        resp = client.put_session(**kw)
        return {
            "contentType": resp.get("contentType"),
            "sessionId": resp.get("sessionId"),
            "messages": decode_json(resp.get("messages")),
            "sessionState": decode_json(resp.get("sessionState")),
            "requestAttributes": decode_json(resp.get("requestAttributes")),
            "audioBytes": len(resp["audioStream"].read()),
        }
    if op == "getSession":
        return client.get_session(**key)
    if op == "deleteSession":
        return client.delete_session(**key)
    raise SystemExit("boto3_client.py: unknown op %r" % op)


def main():
    if len(sys.argv) != 2:
        raise SystemExit("usage: boto3_client.py ENDPOINT_URL < calls.json")
    client = boto3.client(
        "lexv2-runtime",
        endpoint_url=sys.argv[1],
        region_name="us-east-1",
        aws_access_key_id="AKIDPARLEYE2E",
        aws_secret_access_key="parley-e2e-secret",
        config=Config(retries={"max_attempts": 1, "mode": "standard"}),
    )
    results = []
    for c in json.load(sys.stdin):
        try:
            resp = call(client, c)
            if isinstance(resp, dict):
                resp.pop("ResponseMetadata", None)
            results.append({"op": c["op"], "response": resp})
        except ClientError as e:
            code = e.response["Error"]["Code"]
            modeled = getattr(client.exceptions, code, None)
            results.append({"op": c["op"], "error": {
                "code": code,
                "message": e.response["Error"].get("Message", ""),
                "status": e.response["ResponseMetadata"]["HTTPStatusCode"],
                "modeled": modeled is not None and isinstance(e, modeled),
            }})
    json.dump(results, sys.stdout, ensure_ascii=False, default=str)


if __name__ == "__main__":
    main()
