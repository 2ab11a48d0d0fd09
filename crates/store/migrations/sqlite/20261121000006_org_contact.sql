-- The contact of each org's disclosure office (政府信息公开工作机构): shown on reply
-- notices and in the 指南. Paired across backends.

ALTER TABLE orgs ADD COLUMN contact TEXT NOT NULL DEFAULT '';
