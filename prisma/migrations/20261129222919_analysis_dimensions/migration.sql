-- AlterTable
ALTER TABLE "AnalysisJob" ADD COLUMN     "dimensions" TEXT[] DEFAULT ARRAY[]::TEXT[];
