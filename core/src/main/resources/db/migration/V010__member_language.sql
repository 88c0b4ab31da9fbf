-- The language a member reads (#12): 'ja' (the default, and every member before this version) or 'en'. Set from
-- the page language when they subscribe on the web; mail written to that member alone (confirmations, replies to
-- -request/-join/-leave, the goodbye) is in it. A list's copies are one shared message per post, so their footer
-- stays in the list's language.
ALTER TABLE members ADD COLUMN language VARCHAR(8) NOT NULL DEFAULT 'ja';
