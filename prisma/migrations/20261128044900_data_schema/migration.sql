-- Dataset rows live in real tables, one per dataset version, in a schema of their own so they
-- never collide with metadata tables and can be granted separately.
CREATE SCHEMA IF NOT EXISTS "data";
