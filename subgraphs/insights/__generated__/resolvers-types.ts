import type { GraphQLResolveInfo, GraphQLScalarType, GraphQLScalarTypeConfig } from 'graphql';
import type { EntityRef as EntityRefModel } from '../../../lib/graphql/subgraph.js';
import type { ProgressView as ProgressViewModel } from '../data/progress.js';
import type { AnalysisJob as AnalysisJobModel, Insight as InsightModel } from '../../../lib/prisma.js';
import type { InsightsContext } from '../context.js';
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

export type AnalysisJob = {
  __typename?: 'AnalysisJob';
  column: Scalars['String']['output'];
  createdAt: Scalars['DateTime']['output'];
  dataset: Dataset;
  /**
   * `cuda` or `cpu`, once a worker has picked the job up: `cpu` when any of its inferences ran there
   * (a CUDA run that fails is run again on the CPU).
   */
  device?: Maybe<Scalars['String']['output']>;
  /** The categorical columns anomaly drivers were asked to look at (empty: the TEXT columns with few values). */
  dimensions: Array<Scalars['String']['output']>;
  error?: Maybe<Scalars['String']['output']>;
  finishedAt?: Maybe<Scalars['DateTime']['output']>;
  horizon: Scalars['Int']['output'];
  id: Scalars['ID']['output'];
  insights: Array<Insight>;
  kinds: Array<AnalysisKind>;
  language: Language;
  modelVersions: Array<ModelVersion>;
  priority: Priority;
  /** 0..1 */
  progress: Scalars['Float']['output'];
  stage: Scalars['String']['output'];
  startedAt?: Maybe<Scalars['DateTime']['output']>;
  status: JobStatus;
  timeColumn?: Maybe<Scalars['String']['output']>;
};

export type AnalysisKind =
  | 'ANOMALY'
  | 'CHART'
  | 'FORECAST'
  | 'NARRATIVE'
  | 'TREND';

/** One step of an analysis, as it happens. */
export type AnalysisProgress = {
  __typename?: 'AnalysisProgress';
  /** The insight this step found, when it found one. */
  insight?: Maybe<Insight>;
  job: AnalysisJob;
  message?: Maybe<Scalars['String']['output']>;
  /** 0..1 */
  progress: Scalars['Float']['output'];
  stage: Scalars['String']['output'];
};

export type Anomaly = {
  __typename?: 'Anomaly';
  /**
   * Which values of the dataset's categorical columns account for the deviation, largest first (empty
   * when the series has no time column or the dataset no such column).
   */
  drivers: Array<AnomalyDriver>;
  /**
   * What the point would have been without the anomaly: trend + season (before the step, for a level
   * shift). Null for insights of models that give none.
   */
  expected?: Maybe<Scalars['Float']['output']>;
  /** 0-based position in the time-ordered series. */
  index: Scalars['Int']['output'];
  /** value - expected. */
  residual?: Maybe<Scalars['Float']['output']>;
  /** Spikes: the residual in noise levels; level shifts and variance changes: the z-score of the change. */
  score: Scalars['Float']['output'];
  timestamp?: Maybe<Scalars['DateTime']['output']>;
  type: AnomalyType;
  value: Scalars['Float']['output'];
};

/** A value of a categorical column and its share of an anomaly's deviation from its expected value. */
export type AnomalyDriver = {
  __typename?: 'AnomalyDriver';
  /** The value's own sub-series at that point: what it was and what it was expected to be. */
  actual: Scalars['Float']['output'];
  column: Scalars['String']['output'];
  /**
   * Share of the deviation, 0..1: the value's own deviation in the anomaly's direction over the sum of
   * all values' such deviations in its column.
   */
  contribution: Scalars['Float']['output'];
  expected: Scalars['Float']['output'];
  value: Scalars['String']['output'];
};

export type AnomalyType =
  /** The level steps up or down from this point on. */
  | 'LEVEL_SHIFT'
  /** One point far from its expected value. */
  | 'SPIKE'
  /** The noise grows or shrinks from this point on. */
  | 'VARIANCE_CHANGE';

export type ChartAlternative = {
  __typename?: 'ChartAlternative';
  probability: Scalars['Float']['output'];
  spec?: Maybe<Scalars['JSON']['output']>;
  type: Scalars['String']['output'];
};

/**
 * A chart for a query result: its type (`line`, `bar`, `pie`, `scatter`, `number`, `heatmap` or
 * `table`), how sure the chart model is, and a Vega-Lite spec that draws it.
 */
export type ChartSuggestion = {
  __typename?: 'ChartSuggestion';
  /** The next most probable types, most probable first. */
  alternatives: Array<ChartAlternative>;
  /** The query shape the model read: time, categories, cardinalities, measures, additivity, rows. */
  features?: Maybe<Scalars['JSON']['output']>;
  /** The chart model's probability for this type (0..1). */
  probability?: Maybe<Scalars['Float']['output']>;
  /** Vega-Lite (v5). Its data is named `rows`: bind the result's rows to it as objects keyed by column name. */
  spec?: Maybe<Scalars['JSON']['output']>;
  type: Scalars['String']['output'];
};

export type Dataset = {
  __typename?: 'Dataset';
  /** Analyses of this dataset, newest first. */
  analysisJobs: Array<AnalysisJob>;
  id: Scalars['ID']['output'];
  /** Insights found on this dataset, newest first. */
  insights: Array<Insight>;
};


export type DatasetAnalysisJobsArgs = {
  limit?: InputMaybe<Scalars['Int']['input']>;
  offset?: InputMaybe<Scalars['Int']['input']>;
};


export type DatasetInsightsArgs = {
  limit?: InputMaybe<Scalars['Int']['input']>;
  offset?: InputMaybe<Scalars['Int']['input']>;
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

export type ForecastPoint = {
  __typename?: 'ForecastPoint';
  lower: Scalars['Float']['output'];
  timestamp?: Maybe<Scalars['DateTime']['output']>;
  upper: Scalars['Float']['output'];
  value: Scalars['Float']['output'];
};

export type Insight = {
  __typename?: 'Insight';
  anomalies: Array<Anomaly>;
  chart?: Maybe<ChartSuggestion>;
  column: Scalars['String']['output'];
  createdAt: Scalars['DateTime']['output'];
  forecast: Array<ForecastPoint>;
  id: Scalars['ID']['output'];
  kind: AnalysisKind;
  language: Language;
  modelVersion?: Maybe<ModelVersion>;
  /** Narrative text; every number in it comes from a finding. */
  summary: Scalars['String']['output'];
};

export type JobStatus =
  | 'CANCELLED'
  | 'FAILED'
  | 'QUEUED'
  | 'RUNNING'
  | 'SUCCEEDED';

export type Language =
  | 'EN'
  | 'ZH';

export type MeasureInput = {
  agg: Agg;
  /** Output column name; `<agg>_<column>` by default (`sum_revenue`). */
  alias?: InputMaybe<Scalars['String']['input']>;
  /** A column, or `*` with COUNT. */
  column: Scalars['String']['input'];
};

/** A model version, owned by the model-registry subgraph. */
export type ModelVersion = {
  __typename?: 'ModelVersion';
  id: Scalars['ID']['output'];
};

export type Mutation = {
  __typename?: 'Mutation';
  /** Cancels a job that has not finished. Its creator or an ADMIN. */
  cancelAnalysis: AnalysisJob;
  /** Queues an analysis and returns at once (status QUEUED). ANALYST or ADMIN. */
  runAnalysis: AnalysisJob;
};


export type MutationCancelAnalysisArgs = {
  id: Scalars['ID']['input'];
};


export type MutationRunAnalysisArgs = {
  input: RunAnalysisInput;
};

export type OrderByInput = {
  /** Picks among several measures of one column. */
  agg?: InputMaybe<Agg>;
  /** A dimension, the time bucket's column, or a measure's column or alias. */
  column: Scalars['String']['input'];
  direction?: InputMaybe<SortDirection>;
};

export type Priority =
  | 'LOW'
  | 'NORMAL'
  | 'URGENT';

export type Query = {
  __typename?: 'Query';
  analysisJob?: Maybe<AnalysisJob>;
  analysisJobs: Array<AnalysisJob>;
  /**
   * The chart for a dataset query's result, chosen by the chart model from the query's shape and the
   * version's column profile (no data is read). VIEWER.
   */
  suggestChart: ChartSuggestion;
};


export type QueryAnalysisJobArgs = {
  id: Scalars['ID']['input'];
};


export type QueryAnalysisJobsArgs = {
  limit?: InputMaybe<Scalars['Int']['input']>;
  offset?: InputMaybe<Scalars['Int']['input']>;
  status?: InputMaybe<JobStatus>;
};


export type QuerySuggestChartArgs = {
  input: DatasetQueryInput;
};

export type RunAnalysisInput = {
  column: Scalars['String']['input'];
  datasetId: Scalars['ID']['input'];
  /**
   * Categorical columns to explain anomalies by (at most ANALYSIS_MAX_DIMENSIONS); by default the TEXT
   * columns with at most 50 distinct values.
   */
  dimensions?: InputMaybe<Array<Scalars['String']['input']>>;
  /** Forecast steps ahead. */
  horizon?: InputMaybe<Scalars['Int']['input']>;
  kinds: Array<AnalysisKind>;
  language?: InputMaybe<Language>;
  priority?: InputMaybe<Priority>;
  timeColumn?: InputMaybe<Scalars['String']['input']>;
};

export type SortDirection =
  | 'ASC'
  | 'DESC';

export type Subscription = {
  __typename?: 'Subscription';
  /** Progress of an analysis: its current state first, then each step; ends after the final status. */
  analysisProgress: AnalysisProgress;
};


export type SubscriptionAnalysisProgressArgs = {
  jobId: Scalars['ID']['input'];
};

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
  AnalysisJob: AnalysisJob;
  Dataset: Dataset;
}>;

/** Mapping of federation reference types */
export type FederationReferenceTypes = ResolversObject<{
  AnalysisJob:
    ( { __typename: 'AnalysisJob' }
    & GraphQLRecursivePick<FederationTypes['AnalysisJob'], {"id":true}> );
  Dataset:
    ( { __typename: 'Dataset' }
    & GraphQLRecursivePick<FederationTypes['Dataset'], {"id":true}> );
}>;



/** Mapping between all available schema types and the resolvers types */
export type ResolversTypes = ResolversObject<{
  Agg: Agg;
  AnalysisJob: ResolverTypeWrapper<AnalysisJobModel>;
  String: ResolverTypeWrapper<Scalars['String']['output']>;
  Int: ResolverTypeWrapper<Scalars['Int']['output']>;
  ID: ResolverTypeWrapper<Scalars['ID']['output']>;
  Float: ResolverTypeWrapper<Scalars['Float']['output']>;
  AnalysisKind: AnalysisKind;
  AnalysisProgress: ResolverTypeWrapper<ProgressViewModel>;
  Anomaly: ResolverTypeWrapper<Anomaly>;
  AnomalyDriver: ResolverTypeWrapper<AnomalyDriver>;
  AnomalyType: AnomalyType;
  ChartAlternative: ResolverTypeWrapper<ChartAlternative>;
  ChartSuggestion: ResolverTypeWrapper<ChartSuggestion>;
  Dataset: ResolverTypeWrapper<EntityRefModel>;
  DatasetQueryInput: DatasetQueryInput;
  DateTime: ResolverTypeWrapper<Scalars['DateTime']['output']>;
  FilterInput: FilterInput;
  FilterOp: FilterOp;
  ForecastPoint: ResolverTypeWrapper<ForecastPoint>;
  Insight: ResolverTypeWrapper<InsightModel>;
  JSON: ResolverTypeWrapper<Scalars['JSON']['output']>;
  JobStatus: JobStatus;
  Language: Language;
  MeasureInput: MeasureInput;
  ModelVersion: ResolverTypeWrapper<ModelVersion>;
  Mutation: ResolverTypeWrapper<Record<PropertyKey, never>>;
  OrderByInput: OrderByInput;
  Priority: Priority;
  Query: ResolverTypeWrapper<Record<PropertyKey, never>>;
  RunAnalysisInput: RunAnalysisInput;
  SortDirection: SortDirection;
  Subscription: ResolverTypeWrapper<Record<PropertyKey, never>>;
  TimeBucketInput: TimeBucketInput;
  TimeUnit: TimeUnit;
  Boolean: ResolverTypeWrapper<Scalars['Boolean']['output']>;
}>;

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = ResolversObject<{
  AnalysisJob: AnalysisJobModel;
  String: Scalars['String']['output'];
  Int: Scalars['Int']['output'];
  ID: Scalars['ID']['output'];
  Float: Scalars['Float']['output'];
  AnalysisProgress: ProgressViewModel;
  Anomaly: Anomaly;
  AnomalyDriver: AnomalyDriver;
  ChartAlternative: ChartAlternative;
  ChartSuggestion: ChartSuggestion;
  Dataset: EntityRefModel;
  DatasetQueryInput: DatasetQueryInput;
  DateTime: Scalars['DateTime']['output'];
  FilterInput: FilterInput;
  ForecastPoint: ForecastPoint;
  Insight: InsightModel;
  JSON: Scalars['JSON']['output'];
  MeasureInput: MeasureInput;
  ModelVersion: ModelVersion;
  Mutation: Record<PropertyKey, never>;
  OrderByInput: OrderByInput;
  Query: Record<PropertyKey, never>;
  RunAnalysisInput: RunAnalysisInput;
  Subscription: Record<PropertyKey, never>;
  TimeBucketInput: TimeBucketInput;
  Boolean: Scalars['Boolean']['output'];
}>;

export type AnalysisJobResolvers<ContextType = InsightsContext, ParentType extends ResolversParentTypes['AnalysisJob'] = ResolversParentTypes['AnalysisJob'], FederationReferenceType extends FederationReferenceTypes['AnalysisJob'] = FederationReferenceTypes['AnalysisJob']> = ResolversObject<{
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['AnalysisJob']> | FederationReferenceType, FederationReferenceType, ContextType>;
  column?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  dataset?: Resolver<ResolversTypes['Dataset'], ParentType, ContextType>;
  device?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  dimensions?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  error?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  finishedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  horizon?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  insights?: Resolver<Array<ResolversTypes['Insight']>, ParentType, ContextType>;
  kinds?: Resolver<Array<ResolversTypes['AnalysisKind']>, ParentType, ContextType>;
  language?: Resolver<ResolversTypes['Language'], ParentType, ContextType>;
  modelVersions?: Resolver<Array<ResolversTypes['ModelVersion']>, ParentType, ContextType>;
  priority?: Resolver<ResolversTypes['Priority'], ParentType, ContextType>;
  progress?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  stage?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  startedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  status?: Resolver<ResolversTypes['JobStatus'], ParentType, ContextType>;
  timeColumn?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
}>;

export type AnalysisProgressResolvers<ContextType = InsightsContext, ParentType extends ResolversParentTypes['AnalysisProgress'] = ResolversParentTypes['AnalysisProgress']> = ResolversObject<{
  insight?: Resolver<Maybe<ResolversTypes['Insight']>, ParentType, ContextType>;
  job?: Resolver<ResolversTypes['AnalysisJob'], ParentType, ContextType>;
  message?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  progress?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  stage?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type AnomalyResolvers<ContextType = InsightsContext, ParentType extends ResolversParentTypes['Anomaly'] = ResolversParentTypes['Anomaly']> = ResolversObject<{
  drivers?: Resolver<Array<ResolversTypes['AnomalyDriver']>, ParentType, ContextType>;
  expected?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  index?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  residual?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  score?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  timestamp?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  type?: Resolver<ResolversTypes['AnomalyType'], ParentType, ContextType>;
  value?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
}>;

export type AnomalyDriverResolvers<ContextType = InsightsContext, ParentType extends ResolversParentTypes['AnomalyDriver'] = ResolversParentTypes['AnomalyDriver']> = ResolversObject<{
  actual?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  column?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  contribution?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  expected?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  value?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type ChartAlternativeResolvers<ContextType = InsightsContext, ParentType extends ResolversParentTypes['ChartAlternative'] = ResolversParentTypes['ChartAlternative']> = ResolversObject<{
  probability?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  spec?: Resolver<Maybe<ResolversTypes['JSON']>, ParentType, ContextType>;
  type?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type ChartSuggestionResolvers<ContextType = InsightsContext, ParentType extends ResolversParentTypes['ChartSuggestion'] = ResolversParentTypes['ChartSuggestion']> = ResolversObject<{
  alternatives?: Resolver<Array<ResolversTypes['ChartAlternative']>, ParentType, ContextType>;
  features?: Resolver<Maybe<ResolversTypes['JSON']>, ParentType, ContextType>;
  probability?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  spec?: Resolver<Maybe<ResolversTypes['JSON']>, ParentType, ContextType>;
  type?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type DatasetResolvers<ContextType = InsightsContext, ParentType extends ResolversParentTypes['Dataset'] = ResolversParentTypes['Dataset'], FederationReferenceType extends FederationReferenceTypes['Dataset'] = FederationReferenceTypes['Dataset']> = ResolversObject<{
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Dataset']> | FederationReferenceType, FederationReferenceType, ContextType>;
  analysisJobs?: Resolver<Array<ResolversTypes['AnalysisJob']>, ParentType, ContextType, RequireFields<DatasetAnalysisJobsArgs, 'limit' | 'offset'>>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  insights?: Resolver<Array<ResolversTypes['Insight']>, ParentType, ContextType, RequireFields<DatasetInsightsArgs, 'limit' | 'offset'>>;
}>;

export interface DateTimeScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['DateTime'], any> {
  name: 'DateTime';
}

export type ForecastPointResolvers<ContextType = InsightsContext, ParentType extends ResolversParentTypes['ForecastPoint'] = ResolversParentTypes['ForecastPoint']> = ResolversObject<{
  lower?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  timestamp?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  upper?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  value?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
}>;

export type InsightResolvers<ContextType = InsightsContext, ParentType extends ResolversParentTypes['Insight'] = ResolversParentTypes['Insight']> = ResolversObject<{
  anomalies?: Resolver<Array<ResolversTypes['Anomaly']>, ParentType, ContextType>;
  chart?: Resolver<Maybe<ResolversTypes['ChartSuggestion']>, ParentType, ContextType>;
  column?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  forecast?: Resolver<Array<ResolversTypes['ForecastPoint']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  kind?: Resolver<ResolversTypes['AnalysisKind'], ParentType, ContextType>;
  language?: Resolver<ResolversTypes['Language'], ParentType, ContextType>;
  modelVersion?: Resolver<Maybe<ResolversTypes['ModelVersion']>, ParentType, ContextType>;
  summary?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export interface JsonScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['JSON'], any> {
  name: 'JSON';
}

export type ModelVersionResolvers<ContextType = InsightsContext, ParentType extends ResolversParentTypes['ModelVersion'] = ResolversParentTypes['ModelVersion']> = ResolversObject<{
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
}>;

export type MutationResolvers<ContextType = InsightsContext, ParentType extends ResolversParentTypes['Mutation'] = ResolversParentTypes['Mutation']> = ResolversObject<{
  cancelAnalysis?: Resolver<ResolversTypes['AnalysisJob'], ParentType, ContextType, RequireFields<MutationCancelAnalysisArgs, 'id'>>;
  runAnalysis?: Resolver<ResolversTypes['AnalysisJob'], ParentType, ContextType, RequireFields<MutationRunAnalysisArgs, 'input'>>;
}>;

export type QueryResolvers<ContextType = InsightsContext, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = ResolversObject<{
  analysisJob?: Resolver<Maybe<ResolversTypes['AnalysisJob']>, ParentType, ContextType, RequireFields<QueryAnalysisJobArgs, 'id'>>;
  analysisJobs?: Resolver<Array<ResolversTypes['AnalysisJob']>, ParentType, ContextType, RequireFields<QueryAnalysisJobsArgs, 'limit' | 'offset'>>;
  suggestChart?: Resolver<ResolversTypes['ChartSuggestion'], ParentType, ContextType, RequireFields<QuerySuggestChartArgs, 'input'>>;
}>;

export type SubscriptionResolvers<ContextType = InsightsContext, ParentType extends ResolversParentTypes['Subscription'] = ResolversParentTypes['Subscription']> = ResolversObject<{
  analysisProgress?: SubscriptionResolver<ResolversTypes['AnalysisProgress'], "analysisProgress", ParentType, ContextType, RequireFields<SubscriptionAnalysisProgressArgs, 'jobId'>>;
}>;

export type Resolvers<ContextType = InsightsContext> = ResolversObject<{
  AnalysisJob?: AnalysisJobResolvers<ContextType>;
  AnalysisProgress?: AnalysisProgressResolvers<ContextType>;
  Anomaly?: AnomalyResolvers<ContextType>;
  AnomalyDriver?: AnomalyDriverResolvers<ContextType>;
  ChartAlternative?: ChartAlternativeResolvers<ContextType>;
  ChartSuggestion?: ChartSuggestionResolvers<ContextType>;
  Dataset?: DatasetResolvers<ContextType>;
  DateTime?: GraphQLScalarType;
  ForecastPoint?: ForecastPointResolvers<ContextType>;
  Insight?: InsightResolvers<ContextType>;
  JSON?: GraphQLScalarType;
  ModelVersion?: ModelVersionResolvers<ContextType>;
  Mutation?: MutationResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
  Subscription?: SubscriptionResolvers<ContextType>;
}>;

