-- CreateEnum
CREATE TYPE "ModelEventKind" AS ENUM ('REGISTERED', 'ALIAS_MOVED', 'SPLIT_CHANGED', 'ROLLBACK', 'DRIFT');

-- CreateTable
CREATE TABLE "ModelEvent" (
    "id" UUID NOT NULL,
    "modelId" UUID NOT NULL,
    "versionId" UUID,
    "kind" "ModelEventKind" NOT NULL,
    "message" TEXT NOT NULL,
    "details" JSONB,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ModelEvent_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ModelEvent_modelId_createdAt_idx" ON "ModelEvent"("modelId", "createdAt");

-- AddForeignKey
ALTER TABLE "ModelEvent" ADD CONSTRAINT "ModelEvent_modelId_fkey" FOREIGN KEY ("modelId") REFERENCES "Model"("id") ON DELETE CASCADE ON UPDATE CASCADE;
