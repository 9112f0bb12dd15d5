"""MusicRecommender's code hook: a plain Amazon Lex V2 Lambda function.

Parley runs this file unchanged with `python:hooks/lambda_function.py`; the
same file deploys to AWS Lambda (Python 3.9+, standard library only) with
data/artists.csv packed next to it (set ARTISTS_CSV to its path there).
One function serves the locale and routes by intent name and invocation
source, the pattern of the Lex developer guide:

- DialogCodeHook on RecommendMusic: an artist the dataset does not know is
  asked for again (the Artist slot type is generated from the same CSV, so
  this only happens when the two drift apart); otherwise delegates.
- FulfillmentCodeHook on RecommendMusic: answers with the artist's genre,
  a card of top tracks and one card per related artist, each with a button
  that asks for that artist's recommendations. Channels show consecutive
  image cards as a carousel (KakaoTalk) or a row of cards (web chat).

The tutorial this bot comes from asked Spotify's API; the example ships its
own dataset instead, so it runs without network access. Card images are
placeholders drawn by placehold.co from the artist's English name.

Environment:
  ARTISTS_CSV  path of the dataset. Empty: ../data/artists.csv next to
               this file.
"""

import csv
import os
import urllib.parse

DEFAULT_CSV = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data", "artists.csv")
IMAGE_URL = "https://placehold.co/800x400.png?text={}"
MAX_RELATED = 3

# Lex's limits on an ImageResponseCard, and KakaoTalk's tighter ones that
# the connector would otherwise cut to: a basicCard description holds 230
# characters, a button label 14.
MAX_SUBTITLE = 230


def load_artists(path):
    """Reads the dataset: name → row, and every spelling (case folded) →
    name. The lists are "|"-separated, as in the generator."""
    artists, spellings = {}, {}
    with open(path, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            artist = {
                "name": row["name"].strip(),
                "english": row["english"].strip(),
                "genre": row["genre"].strip(),
                "related": split(row["related"]),
                "tracks": split(row["tracks"]),
            }
            artists[artist["name"]] = artist
            for s in [artist["name"], artist["english"]] + split(row["synonyms"]):
                if s:
                    spellings[s.casefold()] = artist["name"]
    return artists, spellings


def split(column):
    return [item.strip() for item in column.split("|") if item.strip()]


# Read once per runtime, as a Lambda function keeps its module state warm.
ARTISTS, SPELLINGS = load_artists(os.environ.get("ARTISTS_CSV") or DEFAULT_CSV)


def find_artist(intent):
    """The artist the Artist slot names, and what the user said: the
    resolved value first (the canonical name), then the words as said."""
    slot = (intent.get("slots") or {}).get("Artist")
    if not slot or not slot.get("value"):
        return None, None
    value = slot["value"]
    said = value.get("originalValue") or value.get("interpretedValue") or ""
    for candidate in (value.get("resolvedValues") or []) + [value.get("interpretedValue"), said]:
        name = SPELLINGS.get((candidate or "").strip().casefold())
        if name:
            return ARTISTS[name], said
    return None, said


def display_name(artist):
    if not artist["english"] or artist["english"].casefold() == artist["name"].casefold():
        return artist["name"]
    return "{}({})".format(artist["name"], artist["english"])


def image_url(artist):
    return IMAGE_URL.format(urllib.parse.quote_plus(artist["english"] or artist["name"]))


def clip(text, limit):
    return text if len(text) <= limit else text[: limit - 1] + "…"


def recommendation(artist):
    """The fulfillment's messages: a line of text, then the image cards."""
    messages = [
        {
            "contentType": "PlainText",
            "content": "{}의 음악을 좋아하시는군요! 장르: {}. 대표곡과 비슷한 가수를 골라 봤어요.".format(
                display_name(artist), artist["genre"]
            ),
        },
        card(
            "{} 대표곡".format(artist["name"]),
            " · ".join(artist["tracks"]),
            image_url(artist),
            [],
        ),
    ]
    for name in artist["related"][:MAX_RELATED]:
        other = ARTISTS.get(name)
        if other is None:
            continue
        messages.append(
            card(
                name,
                "{} · 대표곡: {}".format(other["genre"], ", ".join(other["tracks"][:2])),
                image_url(other),
                [{"text": "{} 추천".format(name), "value": "{} 노래 추천해줘".format(name)}],
            )
        )
    return messages


def card(title, subtitle, image, buttons):
    c = {"title": title, "subtitle": clip(subtitle, MAX_SUBTITLE), "imageUrl": image}
    if buttons:
        c["buttons"] = buttons
    return {"contentType": "ImageResponseCard", "imageResponseCard": c}


def state_with(event, dialog_action, intent_state=None):
    state = event["sessionState"]
    intent = state["intent"]
    if intent_state:
        intent["state"] = intent_state
    return {
        "sessionAttributes": state.get("sessionAttributes") or {},
        "activeContexts": state.get("activeContexts") or [],
        "dialogAction": dialog_action,
        "intent": intent,
    }


def recommend_music(event):
    intent = event["sessionState"]["intent"]
    artist, said = find_artist(intent)

    if event["invocationSource"] == "DialogCodeHook":
        if said and artist is None:
            intent["slots"]["Artist"] = None
            return {
                "sessionState": state_with(event, {"type": "ElicitSlot", "slotToElicit": "Artist"}, "InProgress"),
                "messages": [
                    {
                        "contentType": "PlainText",
                        "content": "'{}'은(는) 아직 제가 모르는 가수예요. 다른 가수를 알려 주세요.".format(said),
                    }
                ],
            }
        return {"sessionState": state_with(event, {"type": "Delegate"})}

    if artist is None:
        # Only a dialog that skipped the dialog hook gets here.
        return {
            "sessionState": state_with(event, {"type": "Close"}, "Failed"),
            "messages": [{"contentType": "PlainText", "content": "죄송해요, 그 가수는 아직 몰라요."}],
        }
    response = {
        "sessionState": state_with(event, {"type": "Close"}, "Fulfilled"),
        "messages": recommendation(artist),
    }
    response["sessionState"]["sessionAttributes"]["lastArtist"] = artist["name"]
    return response


def lambda_handler(event, context):
    intent = event["sessionState"]["intent"]["name"]
    if intent == "RecommendMusic":
        return recommend_music(event)
    # Every other intent goes on as the bot defines it.
    return {"sessionState": state_with(event, {"type": "Delegate"})}
