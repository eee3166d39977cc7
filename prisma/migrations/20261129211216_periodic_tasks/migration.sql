-- CreateTable
CREATE TABLE "PeriodicTask" (
    "name" TEXT NOT NULL,
    "lastRunAt" TIMESTAMP(3) NOT NULL,
    "runBy" TEXT NOT NULL,

    CONSTRAINT "PeriodicTask_pkey" PRIMARY KEY ("name")
);
