-- The three administrators held apart (三员, issue 20): account management moves from the
-- system administrator ("admin") to the new security administrator ("security_admin"), and
-- the audit trail becomes readable by the audit administrator ("auditor") only. So that no
-- deployment loses its account management on upgrade, every present administrator also
-- becomes a security administrator; the console asks them to hand one of the two roles to
-- another person (DECISIONS: 三员). Paired.

INSERT INTO user_roles (user_id, role)
SELECT user_id, 'security_admin' FROM user_roles r
WHERE r.role = 'admin'
  AND NOT EXISTS (SELECT 1 FROM user_roles s WHERE s.user_id = r.user_id AND s.role = 'security_admin');
