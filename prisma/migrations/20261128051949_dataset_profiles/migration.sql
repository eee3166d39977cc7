-- AlterTable
ALTER TABLE "DatasetColumn" ADD COLUMN     "estimated" BOOLEAN NOT NULL DEFAULT false,
ALTER COLUMN "nullCount" DROP NOT NULL,
ALTER COLUMN "nullCount" DROP DEFAULT,
ALTER COLUMN "distinctCount" DROP NOT NULL,
ALTER COLUMN "distinctCount" DROP DEFAULT;

-- AlterTable
ALTER TABLE "DatasetVersion" ADD COLUMN     "profiledAt" TIMESTAMP(3);
