"""PizzaShop's code hook: a plain Amazon Lex V2 Lambda function.

Parley runs this file unchanged with `python:hooks/lambda_function.py`; the
same file deploys to AWS Lambda (Python 3.9+ runtime, boto3 is built in) as
the bot alias's Lambda. One function serves the whole locale and routes by
intent name and invocation source, the pattern of the Lex developer guide:

- DialogCodeHook on OrderPizza: rejects a crust that is not on the menu by
  eliciting the Crust slot again; otherwise delegates back to the bot.
- FulfillmentCodeHook on OrderPizza: checks the topping, prices the order,
  writes it to the DynamoDB table named by ORDERS_TABLE and closes the
  intent without messages, so the bot's own success and closing responses
  are said.

Environment:
  ORDERS_TABLE               DynamoDB table for orders (partition key
                             orderId, a string). Empty: orders are not stored.
  AWS_ENDPOINT_URL_DYNAMODB  another DynamoDB endpoint, e.g. a local
                             dynalite or DynamoDB Local. Empty: AWS itself.
"""

import json
import os
import uuid
from datetime import datetime, timezone
from decimal import Decimal

import boto3

CRUSTS = ("thin", "thick", "stuffed")
TOPPINGS = ("pepperoni", "mushroom", "cheese", "veggie")
PRICES = {"small": Decimal("9.00"), "medium": Decimal("11.50"), "large": Decimal("14.00")}
STUFFED_EXTRA = Decimal("1.50")

_table = None


def orders_table():
    """Returns the orders table, or None when ORDERS_TABLE is not set.

    The resource is made on first use and kept for later invocations of the
    same warm runtime, as Lambda functions usually do.
    """
    global _table
    name = os.environ.get("ORDERS_TABLE", "")
    if not name:
        return None
    if _table is None:
        kwargs = {}
        endpoint = os.environ.get("AWS_ENDPOINT_URL_DYNAMODB", "")
        if endpoint:
            kwargs["endpoint_url"] = endpoint
        _table = boto3.resource("dynamodb", **kwargs).Table(name)
    return _table


def slot_value(intent, name):
    """The value of a filled slot, or None: the listed value it resolved to
    when there is one (CrustType keeps what the user said, so "deep dish"
    arrives as said and resolves to "thick"), else the value as said."""
    slot = (intent.get("slots") or {}).get(name)
    if not slot or not slot.get("value"):
        return None
    value = slot["value"]
    resolved = value.get("resolvedValues") or []
    return resolved[0] if resolved else value.get("interpretedValue")


def delegate(event):
    state = event["sessionState"]
    return {
        "sessionState": {
            "sessionAttributes": state.get("sessionAttributes") or {},
            "activeContexts": state.get("activeContexts") or [],
            "dialogAction": {"type": "Delegate"},
            "intent": state["intent"],
        }
    }


def elicit_slot(event, slot, message):
    state = event["sessionState"]
    intent = state["intent"]
    intent["slots"][slot] = None
    return {
        "sessionState": {
            "sessionAttributes": state.get("sessionAttributes") or {},
            "activeContexts": state.get("activeContexts") or [],
            "dialogAction": {"type": "ElicitSlot", "slotToElicit": slot},
            "intent": intent,
        },
        "messages": [{"contentType": "PlainText", "content": message}],
    }


def close(event, fulfillment_state, attributes, message=None):
    state = event["sessionState"]
    intent = state["intent"]
    intent["state"] = fulfillment_state
    response = {
        "sessionState": {
            "sessionAttributes": attributes,
            "activeContexts": state.get("activeContexts") or [],
            "dialogAction": {"type": "Close"},
            "intent": intent,
        }
    }
    if message:
        response["messages"] = [{"contentType": "PlainText", "content": message}]
    return response


def validate_order(event):
    """DialogCodeHook: only a crust from the menu may stay in the Crust slot."""
    intent = event["sessionState"]["intent"]
    crust = slot_value(intent, "Crust")
    if crust is None:
        return delegate(event)
    if crust.lower() not in CRUSTS:
        print(f"rejecting crust {crust!r}")
        return elicit_slot(
            event,
            "Crust",
            f"Sorry, we don't have {crust} crust. Which crust: thin, thick or stuffed?",
        )
    # Say the crust by its menu name from now on ("deep dish" is "thick").
    intent["slots"]["Crust"]["value"]["interpretedValue"] = crust.lower()
    return delegate(event)


def fulfill_order(event, context):
    """FulfillmentCodeHook: price the order and store it."""
    state = event["sessionState"]
    intent = state["intent"]
    attributes = dict(state.get("sessionAttributes") or {})
    size = (slot_value(intent, "Size") or "").lower()
    crust = (slot_value(intent, "Crust") or "").lower()
    topping = (slot_value(intent, "Topping") or "").lower()
    if topping not in TOPPINGS:
        print(f"topping {topping!r} is not on the menu")
        return close(event, "Failed", attributes,
                     f"Sorry, we don't have {topping} as a topping. Please order again.")
    if size not in PRICES:
        print(f"size {size!r} is not on the menu")
        return close(event, "Failed", attributes,
                     f"Sorry, we don't make {size} pizzas. Please order again.")

    total = PRICES[size] + (STUFFED_EXTRA if crust == "stuffed" else Decimal("0"))
    order_id = str(uuid.uuid4())
    item = {
        "orderId": order_id,
        "sessionId": event["sessionId"],
        "size": size,
        "crust": crust,
        "topping": topping,
        "total": total,
        "createdAt": datetime.now(timezone.utc).isoformat(),
    }
    table = orders_table()
    if table is None:
        print("no table configured (ORDERS_TABLE is empty); the order is not stored")
    else:
        table.put_item(Item=item)
        print(f"stored order {order_id} in {table.name}")

    attributes["orderId"] = order_id
    attributes["orderTotal"] = f"{total:.2f}"
    print(f"order {order_id}: {size} {crust} {topping}, total {total:.2f} "
          f"(request {getattr(context, 'aws_request_id', '-')})")
    return close(event, "Fulfilled", attributes)


def lambda_handler(event, context):
    intent = event["sessionState"]["intent"]["name"]
    source = event["invocationSource"]
    print(json.dumps({
        "sessionId": event.get("sessionId"),
        "intent": intent,
        "invocationSource": source,
        "inputTranscript": event.get("inputTranscript"),
        "slots": {k: ((v or {}).get("value") or {}).get("interpretedValue")
                  for k, v in (event["sessionState"]["intent"].get("slots") or {}).items()},
    }))
    if intent == "OrderPizza":
        if source == "DialogCodeHook":
            return validate_order(event)
        if source == "FulfillmentCodeHook":
            return fulfill_order(event, context)
    # Any other intent that enables this hook gets the bot's own behaviour.
    return delegate(event)
