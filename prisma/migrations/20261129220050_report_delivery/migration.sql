-- CreateEnum
CREATE TYPE "ExportFormat" AS ENUM ('CSV', 'XLSX', 'PDF');

-- CreateEnum
CREATE TYPE "DeliveryChannel" AS ENUM ('EMAIL', 'WEBHOOK');

-- CreateEnum
CREATE TYPE "DeliveryStatus" AS ENUM ('PENDING', 'DELIVERED', 'FAILED', 'CANCELLED');

-- AlterTable
ALTER TABLE "ReportRun" ADD COLUMN     "dataVersionId" UUID;

-- AlterTable
ALTER TABLE "ReportSchedule" ADD COLUMN     "formats" "ExportFormat"[] DEFAULT ARRAY[]::"ExportFormat"[],
ADD COLUMN     "recipients" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
ADD COLUMN     "webhookSecret" TEXT,
ADD COLUMN     "webhookUrl" TEXT;

-- CreateTable
CREATE TABLE "ReportDelivery" (
    "id" UUID NOT NULL,
    "runId" UUID NOT NULL,
    "scheduleId" UUID NOT NULL,
    "channel" "DeliveryChannel" NOT NULL,
    "target" TEXT[],
    "status" "DeliveryStatus" NOT NULL DEFAULT 'PENDING',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastError" TEXT,
    "deliveredAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ReportDelivery_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DeliveryAttempt" (
    "id" BIGSERIAL NOT NULL,
    "deliveryId" UUID NOT NULL,
    "attempt" INTEGER NOT NULL,
    "startedAt" TIMESTAMP(3) NOT NULL,
    "durationMs" INTEGER NOT NULL,
    "ok" BOOLEAN NOT NULL,
    "responseCode" INTEGER,
    "error" TEXT,

    CONSTRAINT "DeliveryAttempt_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SnapshotLink" (
    "id" UUID NOT NULL,
    "templateId" UUID NOT NULL,
    "params" JSONB NOT NULL DEFAULT '{}',
    "snapshot" JSONB NOT NULL,
    "createdById" UUID,
    "createdByKeyId" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "revokedAt" TIMESTAMP(3),

    CONSTRAINT "SnapshotLink_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RuntimeSetting" (
    "key" TEXT NOT NULL,
    "value" JSONB NOT NULL,
    "updatedById" UUID,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "RuntimeSetting_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE INDEX "ReportDelivery_status_nextAttemptAt_idx" ON "ReportDelivery"("status", "nextAttemptAt");

-- CreateIndex
CREATE UNIQUE INDEX "ReportDelivery_runId_channel_key" ON "ReportDelivery"("runId", "channel");

-- CreateIndex
CREATE INDEX "DeliveryAttempt_deliveryId_attempt_idx" ON "DeliveryAttempt"("deliveryId", "attempt");

-- CreateIndex
CREATE INDEX "SnapshotLink_templateId_idx" ON "SnapshotLink"("templateId");

-- CreateIndex
CREATE INDEX "SnapshotLink_createdById_idx" ON "SnapshotLink"("createdById");

-- CreateIndex
CREATE INDEX "ReportSchedule_templateId_idx" ON "ReportSchedule"("templateId");

-- AddForeignKey
ALTER TABLE "ReportDelivery" ADD CONSTRAINT "ReportDelivery_runId_fkey" FOREIGN KEY ("runId") REFERENCES "ReportRun"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DeliveryAttempt" ADD CONSTRAINT "DeliveryAttempt_deliveryId_fkey" FOREIGN KEY ("deliveryId") REFERENCES "ReportDelivery"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SnapshotLink" ADD CONSTRAINT "SnapshotLink_templateId_fkey" FOREIGN KEY ("templateId") REFERENCES "ReportTemplate"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Schedules of templates deleted before this migration: deleting a template now removes them.
DELETE FROM "ReportSchedule" s USING "ReportTemplate" t WHERE s."templateId" = t.id AND t."deletedAt" IS NOT NULL;
