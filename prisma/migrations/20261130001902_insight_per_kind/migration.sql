-- One insight per kind per job. Rows an attempt left behind before a retry replaced them are
-- dropped first (the newest of each kind is kept), so the unique index can be built.
DELETE FROM "Insight" a
USING "Insight" b
WHERE a."jobId" = b."jobId" AND a."kind" = b."kind"
  AND (a."createdAt", a."id") < (b."createdAt", b."id");

-- DropIndex
DROP INDEX "Insight_jobId_idx";

-- CreateIndex
CREATE UNIQUE INDEX "Insight_jobId_kind_key" ON "Insight"("jobId", "kind");
