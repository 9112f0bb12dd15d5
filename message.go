package parley

// Message content types.
const (
	ContentPlainText         = "PlainText"
	ContentSSML              = "SSML"
	ContentCustomPayload     = "CustomPayload"
	ContentImageResponseCard = "ImageResponseCard"
)

// Message is one thing the bot says, in Lex V2's Message shape.
type Message struct {
	ContentType       string             `json:"contentType"`
	Content           string             `json:"content,omitempty"`
	ImageResponseCard *ImageResponseCard `json:"imageResponseCard,omitempty"`
}

// ImageResponseCard is a card with an optional image and up to five buttons.
type ImageResponseCard struct {
	Title    string   `json:"title"`
	Subtitle string   `json:"subtitle,omitempty"`
	ImageURL string   `json:"imageUrl,omitempty"`
	Buttons  []Button `json:"buttons,omitempty"`
}

// Button is a card button; Value is sent back as the user's next utterance.
type Button struct {
	Text  string `json:"text"`
	Value string `json:"value"`
}
