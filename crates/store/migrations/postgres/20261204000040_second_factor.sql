-- A second factor for staff logins (等保 2.0, issue 20): the TOTP secret of an account that
-- enabled one (base32; NULL: none), and the last time step accepted, so a code is used once
-- (RFC 6238 5.2) even across nodes. Paired.

ALTER TABLE users ADD COLUMN totp_secret TEXT;
ALTER TABLE users ADD COLUMN totp_last_step BIGINT;
