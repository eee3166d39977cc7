/*
  Warnings:

  - A unique constraint covering the columns `[scheduleId,scheduledFor]` on the table `ReportRun` will be added. If there are existing duplicate values, this will fail.

*/
-- AlterTable
ALTER TABLE "AnalysisJob" ADD COLUMN     "createdByKeyId" UUID,
ADD COLUMN     "queue" TEXT;

-- AlterTable
ALTER TABLE "ReportRun" ADD COLUMN     "attempts" INTEGER NOT NULL DEFAULT 1,
ADD COLUMN     "scheduledFor" TIMESTAMP(3),
ADD COLUMN     "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;

-- AlterTable
ALTER TABLE "ReportSchedule" ADD COLUMN     "createdByKeyId" UUID;

-- CreateIndex
CREATE INDEX "AnalysisJob_createdById_status_idx" ON "AnalysisJob"("createdById", "status");

-- CreateIndex
CREATE INDEX "AnalysisJob_createdByKeyId_status_idx" ON "AnalysisJob"("createdByKeyId", "status");

-- CreateIndex
CREATE INDEX "ReportRun_status_startedAt_idx" ON "ReportRun"("status", "startedAt");

-- CreateIndex
CREATE UNIQUE INDEX "ReportRun_scheduleId_scheduledFor_key" ON "ReportRun"("scheduleId", "scheduledFor");

-- CreateIndex
CREATE INDEX "ReportSchedule_createdById_idx" ON "ReportSchedule"("createdById");

-- Runs recorded before this migration began when they were created.
UPDATE "ReportRun" SET "startedAt" = "createdAt";
