-- What the intake forgave when it read a post liberally (#14: an mbox From line, a header section without its blank
-- line, no header section), one per line, in English; NULL for a well-formed post. Staff see it on the post's page.
ALTER TABLE posts ADD COLUMN defects ${text};
