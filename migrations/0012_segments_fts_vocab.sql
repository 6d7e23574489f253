-- Each term's document count in the keyword index, so a search can leave out the terms bm25
-- gives no weight (those in half the rows or more) instead of scoring every row they match.
CREATE VIRTUAL TABLE `segments_fts_vocab` USING fts5vocab(`segments_fts`, 'row');
