-- When a list writes its own address into the From of its copies (DMARC mitigation, see domain/FromRewrite):
-- ALWAYS, DMARC or NEVER. Existing lists get ALWAYS, because Japanese carriers check the header From's domain.
ALTER TABLE lists ADD COLUMN from_rewrite VARCHAR(16) NOT NULL DEFAULT 'ALWAYS';
