// Package kb is Parley's knowledge base, the document search behind a
// QnA-style intent: it reads a folder of Markdown, text and HTML files,
// cuts them into passages of about 100–250 words (250–600 Korean or Chinese
// characters) under their nearest heading, and ranks passages for a
// question with BM25 over language-aware terms (English words lightly
// stemmed; Korean stems with particles and endings removed plus Hangul
// bigrams, so spacing variants meet; Chinese character unigrams and
// bigrams), optionally mixed with the cosine similarity of embeddings from
// a parley.Embedder. Scores are normalised to [0,1] so that one relevance
// threshold can send unanswerable questions to the fallback. An Index
// implements parley.Retriever and can be saved to a file and opened again.
package kb
