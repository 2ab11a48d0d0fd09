-- 考核: the office's scores of an indicator it judges by hand (人工评分), one per org, each
-- with its evidence; replaced when scored again (the audit trail keeps every value). Paired.
CREATE TABLE assessment_manual_scores (
    scheme_org  BIGINT NOT NULL REFERENCES orgs(id),
    year        BIGINT NOT NULL,
    name        TEXT NOT NULL,
    org_id      BIGINT NOT NULL REFERENCES orgs(id),
    value       DOUBLE PRECISION NOT NULL,
    evidence    TEXT NOT NULL,
    by_user     TEXT NOT NULL,
    scored_at   TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (scheme_org, year, name, org_id)
);
