"""Creates and reads the orders table in a local DynamoDB (dynalite).

Usage: python3 dynamo.py create TABLE
       python3 dynamo.py scan TABLE     # prints the items as a JSON list

The endpoint comes from AWS_ENDPOINT_URL_DYNAMODB, credentials and region
from the usual AWS variables. Numbers are printed as strings, exactly as
DynamoDB stores them.
"""

import json
import sys

import boto3


def main():
    command, table = sys.argv[1], sys.argv[2]
    dynamodb = boto3.resource("dynamodb")
    if command == "create":
        dynamodb.create_table(
            TableName=table,
            AttributeDefinitions=[{"AttributeName": "orderId", "AttributeType": "S"}],
            KeySchema=[{"AttributeName": "orderId", "KeyType": "HASH"}],
            BillingMode="PAY_PER_REQUEST",
        ).wait_until_exists()
    elif command == "scan":
        items = dynamodb.Table(table).scan()["Items"]
        json.dump(items, sys.stdout, default=str)
    else:
        sys.exit(f"unknown command {command!r}")


if __name__ == "__main__":
    main()
