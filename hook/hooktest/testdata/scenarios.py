"""hooktest scenarios for Parley's local Python runner.

Parley's conformance suite (hook/hooktest) invokes lambda_handler with a Lex V2
event whose inputTranscript is "hooktest:<scenario>"; each scenario answers
what hooktest.Respond answers in Go. Plain standard library, like a Lambda
function without layers.
"""

import copy
import json
import os
import time

PREFIX = "hooktest:"
THROWN = "hooktest: thrown on purpose"
CLOSE_TEXT = "hooktest: your pizza is on its way"
ELICIT_SLOT_TEXT = "hooktest: which crust would you like?"
CONFIRM_TEXT = "hooktest: shall I place the order?"
ELICIT_INTENT_TEXT = "hooktest: what else can I do for you?"


def lambda_handler(event, context):
    transcript = event.get("inputTranscript", "")
    if not transcript.startswith(PREFIX):
        raise ValueError("hooktest: inputTranscript %r does not name a scenario" % transcript)
    scenario = transcript[len(PREFIX):]
    # One line per call: the runner routes it to Parley's log.
    print("hooktest scenario " + scenario)
    if scenario == "throw":
        raise RuntimeError(THROWN)
    if scenario == "crash":
        os._exit(3)
    if scenario == "timeout":
        time.sleep(5)
        return respond(event, "close")
    if scenario == "not_json":
        # The runner serialises the return value itself, so a handler cannot
        # answer bytes that are not JSON; a bare string is not a response.
        return "not json"
    return respond(event, scenario)


def plain(text):
    return [{"contentType": "PlainText", "content": text}]


def scalar(original, interpreted):
    return {
        "shape": "Scalar",
        "value": {"originalValue": original, "interpretedValue": interpreted, "resolvedValues": [interpreted]},
    }


def respond(event, scenario):
    # Like a real hook: start from the session state and change what the
    # scenario is about. An absent list or map stays absent: empty would
    # clear it.
    received = event["sessionState"]
    state = {"intent": copy.deepcopy(received["intent"])}
    for key in ("sessionAttributes", "activeContexts"):
        if key in received:
            state[key] = copy.deepcopy(received[key])
    intent = state["intent"]
    response = {"sessionState": state}
    if scenario == "close":
        state["dialogAction"] = {"type": "Close"}
        intent["state"] = "Fulfilled"
        response["messages"] = plain(CLOSE_TEXT)
    elif scenario == "elicit_slot":
        state["dialogAction"] = {"type": "ElicitSlot", "slotToElicit": "Crust"}
        intent["slots"]["Crust"] = None
        response["messages"] = plain(ELICIT_SLOT_TEXT)
    elif scenario == "confirm_intent":
        state["dialogAction"] = {"type": "ConfirmIntent"}
        intent["slots"]["Topping"] = scalar("mushrooms", "mushroom")
        response["messages"] = plain(CONFIRM_TEXT)
    elif scenario == "delegate":
        state["dialogAction"] = {"type": "Delegate"}
        intent["slots"]["Topping"] = scalar("mushrooms", "mushroom")
    elif scenario == "elicit_intent":
        state["dialogAction"] = {"type": "ElicitIntent"}
        del state["intent"]
        response["messages"] = plain(ELICIT_INTENT_TEXT)
    elif scenario == "session_attributes":
        state["dialogAction"] = {"type": "Delegate"}
        state["sessionAttributes"] = {"hooktest": "replaced", "주문": "피자"}
    elif scenario == "session_attributes_clear":
        state["dialogAction"] = {"type": "Delegate"}
        intent["slots"]["Topping"] = scalar("mushrooms", "mushroom")
        state["sessionAttributes"] = {}
    elif scenario == "active_contexts":
        state["dialogAction"] = {"type": "Delegate"}
        state["activeContexts"] = [{
            "name": "hooktest_ctx",
            "timeToLive": {"timeToLiveInSeconds": 120, "turnsToLive": 2},
            "contextAttributes": {"source": "hooktest", "step": "2"},
        }]
    elif scenario == "echo":
        state["dialogAction"] = {"type": "Close"}
        intent["state"] = "Fulfilled"
        response["messages"] = [{"contentType": "CustomPayload", "content": json.dumps(event, ensure_ascii=False)}]
    elif scenario == "oversize":
        state["dialogAction"] = {"type": "Close"}
        intent["state"] = "Fulfilled"
        response["messages"] = plain("x" * (30 * 1024))
    elif scenario == "bad_shape":
        # A dialogAction without its type: the runner passes it on and
        # Parley's validation names the field.
        state["dialogAction"] = {}
        intent["state"] = "Fulfilled"
        response["messages"] = plain(CLOSE_TEXT)
    else:
        raise ValueError("hooktest: unknown scenario %r" % scenario)
    return response
