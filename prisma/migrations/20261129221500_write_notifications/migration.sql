-- Every committed write to a table that GraphQL reads announces itself on the `rg_writes` channel
-- (the table's name, once per statement): gateways drop cached responses that read that table.
-- Statement-level, so a COPY of a million rows costs one notification; PostgreSQL delivers it on
-- commit, and not at all on rollback.
CREATE FUNCTION "rg_notify_write"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('rg_writes', TG_TABLE_NAME);
  RETURN NULL;
END;
$$;

DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['User', 'ApiKey', 'PersistedOperation', 'ReportTemplate', 'TemplateVersion', 'ReportRun',
    'ReportSchedule', 'Dataset', 'DatasetVersion', 'DatasetColumn', 'AnalysisJob', 'Insight', 'Model', 'ModelEvent',
    'ModelVersion', 'ModelAlias', 'ModelAliasChange', 'TrafficWeight', 'DriftReport']
  LOOP
    EXECUTE format('CREATE TRIGGER "rg_notify_write" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON %I FOR EACH STATEMENT EXECUTE FUNCTION "rg_notify_write"()', t);
  END LOOP;
END;
$$;
