import type { GraphQLResolveInfo, GraphQLScalarType, GraphQLScalarTypeConfig } from 'graphql';
import type { Dataset as DatasetModel, DatasetVersion as DatasetVersionModel, DatasetColumn as DatasetColumnModel } from '../../../lib/prisma.js';
import type { DatasetQueryResult as DatasetQueryResultModel } from '../data/query.js';
import type { DatasetsContext } from '../context.js';
export type Maybe<T> = T | null;
export type InputMaybe<T> = Maybe<T>;
export type RequireFields<T, K extends keyof T> = Omit<T, K> & { [P in K]-?: NonNullable<T[P]> };
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  /** An ISO-8601 date-time, always in UTC. */
  DateTime: { input: Date | string; output: Date | string; }
  /** Any JSON value. */
  JSON: { input: unknown; output: unknown; }
  _FieldSet: { input: unknown; output: unknown; }
};

export type Agg =
  | 'AVG'
  | 'COUNT'
  | 'COUNT_DISTINCT'
  | 'MAX'
  | 'MEDIAN'
  | 'MIN'
  | 'SUM';

export type CleaningOp =
  /** Change the type of `columns` to `type`. */
  | 'CAST'
  /** Drop duplicate rows: whole rows, or rows sharing the key `columns`; the first in table order is kept, and the rows keep their order. */
  | 'DEDUPE'
  /** Fill NULLs in `columns` by `strategy`. */
  | 'FILL_MISSING'
  /** Trim surrounding whitespace from TEXT `columns` (all TEXT columns when none are named). */
  | 'TRIM';

export type CleaningStepInput = {
  columns?: InputMaybe<Array<Scalars['String']['input']>>;
  op: CleaningOp;
  strategy?: InputMaybe<FillStrategy>;
  /** The target type for CAST. */
  type?: InputMaybe<ColumnType>;
  /** The constant for FILL_MISSING with CONSTANT. */
  value?: InputMaybe<Scalars['JSON']['input']>;
};

/** A column with its profile, computed in SQL when the version was written. */
export type Column = {
  __typename?: 'Column';
  distinctCount?: Maybe<Scalars['Int']['output']>;
  /** The distinct count and histogram were estimated from a sample (large versions). */
  estimated: Scalars['Boolean']['output'];
  /** Equal-width bins for numbers and times; the most frequent values for text and booleans. */
  histogram: Array<HistogramBin>;
  max?: Maybe<Scalars['JSON']['output']>;
  mean?: Maybe<Scalars['Float']['output']>;
  min?: Maybe<Scalars['JSON']['output']>;
  name: Scalars['String']['output'];
  /** Null while the version is being profiled (large versions, just after they are written). */
  nullCount?: Maybe<Scalars['Int']['output']>;
  stddev?: Maybe<Scalars['Float']['output']>;
  type: ColumnType;
};

export type ColumnType =
  | 'BOOLEAN'
  | 'DATE'
  | 'FLOAT'
  | 'INTEGER'
  | 'TEXT'
  | 'TIMESTAMP';

export type CreateDatasetInput = {
  description?: InputMaybe<Scalars['String']['input']>;
  name: Scalars['String']['input'];
};

export type CsvEncoding =
  /** A BOM, else UTF-8 when valid, else GBK. */
  | 'AUTO'
  | 'GBK'
  | 'UTF8';

export type CsvOptions = {
  /** One character; detected among , ; tab | when omitted. */
  delimiter?: InputMaybe<Scalars['String']['input']>;
  encoding?: InputMaybe<CsvEncoding>;
  header?: InputMaybe<Scalars['Boolean']['input']>;
  /** Field texts that mean NULL; an empty unquoted field by default. */
  nullTokens?: InputMaybe<Array<Scalars['String']['input']>>;
  onTypeError?: InputMaybe<OnTypeError>;
  quote?: InputMaybe<Scalars['String']['input']>;
};

export type Dataset = {
  __typename?: 'Dataset';
  /** The current version's columns. */
  columns: Array<Column>;
  createdAt: Scalars['DateTime']['output'];
  currentVersion?: Maybe<DatasetVersion>;
  description?: Maybe<Scalars['String']['output']>;
  id: Scalars['ID']['output'];
  name: Scalars['String']['output'];
  owner?: Maybe<User>;
  /** The current version's row count (0 before the first ingestion). */
  rowCount: Scalars['Int']['output'];
  /** Where the current version came from; null before the first ingestion. */
  sourceKind?: Maybe<SourceKind>;
  updatedAt: Scalars['DateTime']['output'];
  /** One version by its number; null when there is none. */
  version?: Maybe<DatasetVersion>;
  /** Newest first. */
  versions: Array<DatasetVersion>;
};


export type DatasetVersionArgs = {
  number: Scalars['Int']['input'];
};

export type DatasetQueryInput = {
  datasetId: Scalars['ID']['input'];
  dimensions?: InputMaybe<Array<Scalars['String']['input']>>;
  filters?: InputMaybe<Array<FilterInput>>;
  limit?: InputMaybe<Scalars['Int']['input']>;
  measures?: InputMaybe<Array<MeasureInput>>;
  orderBy?: InputMaybe<Array<OrderByInput>>;
  timeBucket?: InputMaybe<TimeBucketInput>;
  /** A version number; the current version when omitted. */
  version?: InputMaybe<Scalars['Int']['input']>;
};

/** An immutable snapshot of a dataset's rows. */
export type DatasetVersion = {
  __typename?: 'DatasetVersion';
  columns: Array<Column>;
  createdAt: Scalars['DateTime']['output'];
  dataset: Dataset;
  id: Scalars['ID']['output'];
  number: Scalars['Int']['output'];
  /** The first rows as stored (in load order), one array per row with the values in column order; at most 1000. */
  preview: Array<Scalars['JSON']['output']>;
  /** When the column profiles were computed; null while a large version is still being profiled. */
  profiledAt?: Maybe<Scalars['DateTime']['output']>;
  rowCount: Scalars['Int']['output'];
  /** Where the rows came from: file name and CSV options, source URL, query — never credentials. */
  source: Scalars['JSON']['output'];
  sourceKind: SourceKind;
  /** Cleaning steps that produced this version from the one before. */
  steps: Scalars['JSON']['output'];
};


/** An immutable snapshot of a dataset's rows. */
export type DatasetVersionPreviewArgs = {
  limit?: InputMaybe<Scalars['Int']['input']>;
};

export type FillStrategy =
  | 'CONSTANT'
  /** Drop the rows where any of `columns` is NULL. */
  | 'DROP'
  | 'MEAN'
  | 'MEDIAN'
  | 'MODE';

export type FilterInput = {
  column: Scalars['String']['input'];
  op: FilterOp;
  /** For EQ..GTE and CONTAINS; for IS_NULL, `false` means IS NOT NULL. */
  value?: InputMaybe<Scalars['JSON']['input']>;
  /** For IN (one or more) and BETWEEN (two). */
  values?: InputMaybe<Array<Scalars['JSON']['input']>>;
};

export type FilterOp =
  | 'BETWEEN'
  | 'CONTAINS'
  | 'EQ'
  | 'GT'
  | 'GTE'
  | 'IN'
  | 'IS_NULL'
  | 'LT'
  | 'LTE'
  | 'NEQ';

export type HistogramBin = {
  __typename?: 'HistogramBin';
  count: Scalars['Int']['output'];
  label: Scalars['String']['output'];
  lower?: Maybe<Scalars['JSON']['output']>;
  upper?: Maybe<Scalars['JSON']['output']>;
};

export type MeasureInput = {
  agg: Agg;
  /** Output column name; `<agg>_<column>` by default (`sum_revenue`). */
  alias?: InputMaybe<Scalars['String']['input']>;
  /** A column, or `*` with COUNT. */
  column: Scalars['String']['input'];
};

export type Mutation = {
  __typename?: 'Mutation';
  /** Applies the steps, in order, to the current version, in SQL, as a new version. The owner or an ADMIN. */
  cleanDataset: DatasetVersion;
  /** ANALYST or ADMIN. */
  createDataset: Dataset;
  /** Removes the dataset, its versions and their tables. The owner or an ADMIN. */
  deleteDataset: Scalars['Boolean']['output'];
  /**
   * Imports the rows of `sql`, run read-only with a time limit on the PostgreSQL at `connectionUrl`.
   * The owner or an ADMIN.
   */
  importFromPostgres: DatasetVersion;
  /**
   * Imports JSON records from `url` (an array, or the array at the dotted `recordsPath`), following
   * `Link: rel="next"` pages; nested objects become `a.b` columns. The owner or an ADMIN.
   */
  importFromRest: DatasetVersion;
  /**
   * Loads small inline CSV as a new version (for files, POST /api/datasets/:id/csv streams instead).
   * The owner or an ADMIN.
   */
  ingestCsv: DatasetVersion;
};


export type MutationCleanDatasetArgs = {
  datasetId: Scalars['ID']['input'];
  steps: Array<CleaningStepInput>;
};


export type MutationCreateDatasetArgs = {
  input: CreateDatasetInput;
};


export type MutationDeleteDatasetArgs = {
  id: Scalars['ID']['input'];
};


export type MutationImportFromPostgresArgs = {
  connectionUrl: Scalars['String']['input'];
  datasetId: Scalars['ID']['input'];
  sql: Scalars['String']['input'];
};


export type MutationImportFromRestArgs = {
  datasetId: Scalars['ID']['input'];
  recordsPath?: InputMaybe<Scalars['String']['input']>;
  url: Scalars['String']['input'];
};


export type MutationIngestCsvArgs = {
  csv: Scalars['String']['input'];
  datasetId: Scalars['ID']['input'];
  options?: InputMaybe<CsvOptions>;
};

export type OnTypeError =
  /** Fail the load, naming the line and column. */
  | 'FAIL'
  /** Load the value as NULL and count it. */
  | 'NULL';

export type OrderByInput = {
  /** Picks among several measures of one column. */
  agg?: InputMaybe<Agg>;
  /** A dimension, the time bucket's column, or a measure's column or alias. */
  column: Scalars['String']['input'];
  direction?: InputMaybe<SortDirection>;
};

export type Query = {
  __typename?: 'Query';
  dataset?: Maybe<Dataset>;
  /** An aggregation over a dataset version, computed in PostgreSQL. */
  datasetQuery: QueryResult;
  datasets: Array<Dataset>;
};


export type QueryDatasetArgs = {
  id: Scalars['ID']['input'];
};


export type QueryDatasetQueryArgs = {
  input: DatasetQueryInput;
};


export type QueryDatasetsArgs = {
  limit?: InputMaybe<Scalars['Int']['input']>;
  offset?: InputMaybe<Scalars['Int']['input']>;
};

export type QueryResult = {
  __typename?: 'QueryResult';
  columns: Array<ResultColumn>;
  rowCount: Scalars['Int']['output'];
  /** One array per row: dimensions, then the time bucket, then measures, in the order asked. */
  rows: Array<Scalars['JSON']['output']>;
  /** The version the rows came from. */
  version: DatasetVersion;
};

export type ResultColumn = {
  __typename?: 'ResultColumn';
  name: Scalars['String']['output'];
  type: ColumnType;
};

export type SortDirection =
  | 'ASC'
  | 'DESC';

export type SourceKind =
  | 'CSV'
  | 'POSTGRES'
  | 'REST';

export type TimeBucketInput = {
  column: Scalars['String']['input'];
  unit: TimeUnit;
};

export type TimeUnit =
  | 'DAY'
  | 'HOUR'
  | 'MONTH'
  | 'QUARTER'
  | 'WEEK'
  | 'YEAR';

/** A user, owned by the templates subgraph. */
export type User = {
  __typename?: 'User';
  id: Scalars['ID']['output'];
};

export type WithIndex<TObject> = TObject & Record<string, any>;
export type ResolversObject<TObject> = WithIndex<TObject>;

export type ResolverTypeWrapper<T> = Promise<T> | T;

export type ReferenceResolver<TResult, TReference, TContext> = (
      reference: TReference,
      context: TContext,
      info: GraphQLResolveInfo
    ) => Promise<TResult> | TResult;

      type ScalarCheck<T, S> = S extends true ? T : NullableCheck<T, S>;
      type NullableCheck<T, S> = Maybe<T> extends T ? Maybe<ListCheck<NonNullable<T>, S>> : ListCheck<T, S>;
      type ListCheck<T, S> = T extends (infer U)[] ? NullableCheck<U, S>[] : GraphQLRecursivePick<T, S>;
      export type GraphQLRecursivePick<T, S> = { [K in keyof T & keyof S]: ScalarCheck<T[K], S[K]> };
    

export type ResolverWithResolve<TResult, TParent, TContext, TArgs> = {
  resolve: ResolverFn<TResult, TParent, TContext, TArgs>;
};
export type Resolver<TResult, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> = ResolverFn<TResult, TParent, TContext, TArgs> | ResolverWithResolve<TResult, TParent, TContext, TArgs>;

export type ResolverFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => Promise<TResult> | TResult;

export type SubscriptionSubscribeFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => AsyncIterable<TResult> | Promise<AsyncIterable<TResult>>;

export type SubscriptionResolveFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => TResult | Promise<TResult>;

export interface SubscriptionSubscriberObject<TResult, TKey extends string, TParent, TContext, TArgs> {
  subscribe: SubscriptionSubscribeFn<{ [key in TKey]: TResult }, TParent, TContext, TArgs>;
  resolve?: SubscriptionResolveFn<TResult, { [key in TKey]: TResult }, TContext, TArgs>;
}

export interface SubscriptionResolverObject<TResult, TParent, TContext, TArgs> {
  subscribe: SubscriptionSubscribeFn<any, TParent, TContext, TArgs>;
  resolve: SubscriptionResolveFn<TResult, any, TContext, TArgs>;
}

export type SubscriptionObject<TResult, TKey extends string, TParent, TContext, TArgs> =
  | SubscriptionSubscriberObject<TResult, TKey, TParent, TContext, TArgs>
  | SubscriptionResolverObject<TResult, TParent, TContext, TArgs>;

export type SubscriptionResolver<TResult, TKey extends string, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> =
  | ((...args: any[]) => SubscriptionObject<TResult, TKey, TParent, TContext, TArgs>)
  | SubscriptionObject<TResult, TKey, TParent, TContext, TArgs>;

export type TypeResolveFn<TTypes, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>> = (
  parent: TParent,
  context: TContext,
  info: GraphQLResolveInfo
) => Maybe<TTypes> | Promise<Maybe<TTypes>>;

export type IsTypeOfResolverFn<T = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>> = (obj: T, context: TContext, info: GraphQLResolveInfo) => boolean | Promise<boolean>;

export type NextResolverFn<T> = () => Promise<T>;

export type DirectiveResolverFn<TResult = Record<PropertyKey, never>, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> = (
  next: NextResolverFn<TResult>,
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => TResult | Promise<TResult>;

/** Mapping of federation types */
export type FederationTypes = ResolversObject<{
  Dataset: Dataset;
  DatasetVersion: DatasetVersion;
}>;

/** Mapping of federation reference types */
export type FederationReferenceTypes = ResolversObject<{
  Dataset:
    ( { __typename: 'Dataset' }
    & GraphQLRecursivePick<FederationTypes['Dataset'], {"id":true}> );
  DatasetVersion:
    ( { __typename: 'DatasetVersion' }
    & GraphQLRecursivePick<FederationTypes['DatasetVersion'], {"id":true}> );
}>;



/** Mapping between all available schema types and the resolvers types */
export type ResolversTypes = ResolversObject<{
  Agg: Agg;
  CleaningOp: CleaningOp;
  CleaningStepInput: CleaningStepInput;
  String: ResolverTypeWrapper<Scalars['String']['output']>;
  Column: ResolverTypeWrapper<DatasetColumnModel>;
  Int: ResolverTypeWrapper<Scalars['Int']['output']>;
  Boolean: ResolverTypeWrapper<Scalars['Boolean']['output']>;
  Float: ResolverTypeWrapper<Scalars['Float']['output']>;
  ColumnType: ColumnType;
  CreateDatasetInput: CreateDatasetInput;
  CsvEncoding: CsvEncoding;
  CsvOptions: CsvOptions;
  Dataset: ResolverTypeWrapper<DatasetModel>;
  ID: ResolverTypeWrapper<Scalars['ID']['output']>;
  DatasetQueryInput: DatasetQueryInput;
  DatasetVersion: ResolverTypeWrapper<DatasetVersionModel>;
  DateTime: ResolverTypeWrapper<Scalars['DateTime']['output']>;
  FillStrategy: FillStrategy;
  FilterInput: FilterInput;
  FilterOp: FilterOp;
  HistogramBin: ResolverTypeWrapper<HistogramBin>;
  JSON: ResolverTypeWrapper<Scalars['JSON']['output']>;
  MeasureInput: MeasureInput;
  Mutation: ResolverTypeWrapper<Record<PropertyKey, never>>;
  OnTypeError: OnTypeError;
  OrderByInput: OrderByInput;
  Query: ResolverTypeWrapper<Record<PropertyKey, never>>;
  QueryResult: ResolverTypeWrapper<DatasetQueryResultModel>;
  ResultColumn: ResolverTypeWrapper<ResultColumn>;
  SortDirection: SortDirection;
  SourceKind: SourceKind;
  TimeBucketInput: TimeBucketInput;
  TimeUnit: TimeUnit;
  User: ResolverTypeWrapper<User>;
}>;

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = ResolversObject<{
  CleaningStepInput: CleaningStepInput;
  String: Scalars['String']['output'];
  Column: DatasetColumnModel;
  Int: Scalars['Int']['output'];
  Boolean: Scalars['Boolean']['output'];
  Float: Scalars['Float']['output'];
  CreateDatasetInput: CreateDatasetInput;
  CsvOptions: CsvOptions;
  Dataset: DatasetModel;
  ID: Scalars['ID']['output'];
  DatasetQueryInput: DatasetQueryInput;
  DatasetVersion: DatasetVersionModel;
  DateTime: Scalars['DateTime']['output'];
  FilterInput: FilterInput;
  HistogramBin: HistogramBin;
  JSON: Scalars['JSON']['output'];
  MeasureInput: MeasureInput;
  Mutation: Record<PropertyKey, never>;
  OrderByInput: OrderByInput;
  Query: Record<PropertyKey, never>;
  QueryResult: DatasetQueryResultModel;
  ResultColumn: ResultColumn;
  TimeBucketInput: TimeBucketInput;
  User: User;
}>;

export type ColumnResolvers<ContextType = DatasetsContext, ParentType extends ResolversParentTypes['Column'] = ResolversParentTypes['Column']> = ResolversObject<{
  distinctCount?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  estimated?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  histogram?: Resolver<Array<ResolversTypes['HistogramBin']>, ParentType, ContextType>;
  max?: Resolver<Maybe<ResolversTypes['JSON']>, ParentType, ContextType>;
  mean?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  min?: Resolver<Maybe<ResolversTypes['JSON']>, ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  nullCount?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  stddev?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  type?: Resolver<ResolversTypes['ColumnType'], ParentType, ContextType>;
}>;

export type DatasetResolvers<ContextType = DatasetsContext, ParentType extends ResolversParentTypes['Dataset'] = ResolversParentTypes['Dataset'], FederationReferenceType extends FederationReferenceTypes['Dataset'] = FederationReferenceTypes['Dataset']> = ResolversObject<{
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Dataset']> | FederationReferenceType, FederationReferenceType, ContextType>;
  columns?: Resolver<Array<ResolversTypes['Column']>, ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  currentVersion?: Resolver<Maybe<ResolversTypes['DatasetVersion']>, ParentType, ContextType>;
  description?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  owner?: Resolver<Maybe<ResolversTypes['User']>, ParentType, ContextType>;
  rowCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  sourceKind?: Resolver<Maybe<ResolversTypes['SourceKind']>, ParentType, ContextType>;
  updatedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  version?: Resolver<Maybe<ResolversTypes['DatasetVersion']>, ParentType, ContextType, RequireFields<DatasetVersionArgs, 'number'>>;
  versions?: Resolver<Array<ResolversTypes['DatasetVersion']>, ParentType, ContextType>;
}>;

export type DatasetVersionResolvers<ContextType = DatasetsContext, ParentType extends ResolversParentTypes['DatasetVersion'] = ResolversParentTypes['DatasetVersion'], FederationReferenceType extends FederationReferenceTypes['DatasetVersion'] = FederationReferenceTypes['DatasetVersion']> = ResolversObject<{
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['DatasetVersion']> | FederationReferenceType, FederationReferenceType, ContextType>;
  columns?: Resolver<Array<ResolversTypes['Column']>, ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  dataset?: Resolver<ResolversTypes['Dataset'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  number?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  preview?: Resolver<Array<ResolversTypes['JSON']>, ParentType, ContextType, RequireFields<DatasetVersionPreviewArgs, 'limit'>>;
  profiledAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  rowCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  source?: Resolver<ResolversTypes['JSON'], ParentType, ContextType>;
  sourceKind?: Resolver<ResolversTypes['SourceKind'], ParentType, ContextType>;
  steps?: Resolver<ResolversTypes['JSON'], ParentType, ContextType>;
}>;

export interface DateTimeScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['DateTime'], any> {
  name: 'DateTime';
}

export type HistogramBinResolvers<ContextType = DatasetsContext, ParentType extends ResolversParentTypes['HistogramBin'] = ResolversParentTypes['HistogramBin']> = ResolversObject<{
  count?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  label?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  lower?: Resolver<Maybe<ResolversTypes['JSON']>, ParentType, ContextType>;
  upper?: Resolver<Maybe<ResolversTypes['JSON']>, ParentType, ContextType>;
}>;

export interface JsonScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['JSON'], any> {
  name: 'JSON';
}

export type MutationResolvers<ContextType = DatasetsContext, ParentType extends ResolversParentTypes['Mutation'] = ResolversParentTypes['Mutation']> = ResolversObject<{
  cleanDataset?: Resolver<ResolversTypes['DatasetVersion'], ParentType, ContextType, RequireFields<MutationCleanDatasetArgs, 'datasetId' | 'steps'>>;
  createDataset?: Resolver<ResolversTypes['Dataset'], ParentType, ContextType, RequireFields<MutationCreateDatasetArgs, 'input'>>;
  deleteDataset?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType, RequireFields<MutationDeleteDatasetArgs, 'id'>>;
  importFromPostgres?: Resolver<ResolversTypes['DatasetVersion'], ParentType, ContextType, RequireFields<MutationImportFromPostgresArgs, 'connectionUrl' | 'datasetId' | 'sql'>>;
  importFromRest?: Resolver<ResolversTypes['DatasetVersion'], ParentType, ContextType, RequireFields<MutationImportFromRestArgs, 'datasetId' | 'url'>>;
  ingestCsv?: Resolver<ResolversTypes['DatasetVersion'], ParentType, ContextType, RequireFields<MutationIngestCsvArgs, 'csv' | 'datasetId'>>;
}>;

export type QueryResolvers<ContextType = DatasetsContext, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = ResolversObject<{
  dataset?: Resolver<Maybe<ResolversTypes['Dataset']>, ParentType, ContextType, RequireFields<QueryDatasetArgs, 'id'>>;
  datasetQuery?: Resolver<ResolversTypes['QueryResult'], ParentType, ContextType, RequireFields<QueryDatasetQueryArgs, 'input'>>;
  datasets?: Resolver<Array<ResolversTypes['Dataset']>, ParentType, ContextType, RequireFields<QueryDatasetsArgs, 'limit' | 'offset'>>;
}>;

export type QueryResultResolvers<ContextType = DatasetsContext, ParentType extends ResolversParentTypes['QueryResult'] = ResolversParentTypes['QueryResult']> = ResolversObject<{
  columns?: Resolver<Array<ResolversTypes['ResultColumn']>, ParentType, ContextType>;
  rowCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  rows?: Resolver<Array<ResolversTypes['JSON']>, ParentType, ContextType>;
  version?: Resolver<ResolversTypes['DatasetVersion'], ParentType, ContextType>;
}>;

export type ResultColumnResolvers<ContextType = DatasetsContext, ParentType extends ResolversParentTypes['ResultColumn'] = ResolversParentTypes['ResultColumn']> = ResolversObject<{
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  type?: Resolver<ResolversTypes['ColumnType'], ParentType, ContextType>;
}>;

export type UserResolvers<ContextType = DatasetsContext, ParentType extends ResolversParentTypes['User'] = ResolversParentTypes['User']> = ResolversObject<{
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
}>;

export type Resolvers<ContextType = DatasetsContext> = ResolversObject<{
  Column?: ColumnResolvers<ContextType>;
  Dataset?: DatasetResolvers<ContextType>;
  DatasetVersion?: DatasetVersionResolvers<ContextType>;
  DateTime?: GraphQLScalarType;
  HistogramBin?: HistogramBinResolvers<ContextType>;
  JSON?: GraphQLScalarType;
  Mutation?: MutationResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
  QueryResult?: QueryResultResolvers<ContextType>;
  ResultColumn?: ResultColumnResolvers<ContextType>;
  User?: UserResolvers<ContextType>;
}>;

