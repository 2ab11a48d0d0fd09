-- A catalog section's 公开依据 (the 条例's article and item, or the document that names it) and
-- the list kinds whose tables belong in it (codes, comma-separated), as the baseline catalogs
-- of the 2019 条例 ship them. Paired across backends.

ALTER TABLE catalog_sections ADD COLUMN basis TEXT NOT NULL DEFAULT '';
ALTER TABLE catalog_sections ADD COLUMN list_kinds TEXT NOT NULL DEFAULT '';
