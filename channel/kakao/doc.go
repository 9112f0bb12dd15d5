// Package kakao connects a bot to KakaoTalk through a Kakao i Open Builder
// skill. It owns the skill endpoint: the header secret that authenticates
// Open Builder, the SkillPayload (the utterance, the user, the block's
// parameters, which fill Parley slots of the same name, and the clientExtra
// of a tapped button, whose value becomes the turn's text), the rendering of
// a turn's messages as a SkillResponse 2.0 (simpleText, basicCard, textCard,
// carousel, quick replies, within Kakao's limits) and the 5-second rule: a
// turn that is not done in time is answered with useCallback and its result
// posted once to the request's callback URL, or, when the block has no
// callback, with a holding text, the late answer being delivered at the
// start of the user's next reply. One Parley session per Kakao user (the
// per-bot botUserKey); Kakao sends no event id, so nothing is de-duplicated.
package kakao
