import type { GraphQLResolveInfo, GraphQLScalarType, GraphQLScalarTypeConfig } from 'graphql';
import type { Model as ModelModel, ModelVersion as ModelVersionModel, ModelAlias as ModelAliasModel, TrafficWeight as TrafficWeightModel, DriftReport as DriftReportModel, ModelEvent as ModelEventModel } from '../../../lib/prisma.js';
import type { ModelHealthResult as ModelHealthResultModel } from '../data/registry.js';
import type { ModelRegistryContext } from '../context.js';
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

export type CreateModelInput = {
  description?: InputMaybe<Scalars['String']['input']>;
  name: Scalars['String']['input'];
  task: ModelTask;
};

export type DriftReport = {
  __typename?: 'DriftReport';
  createdAt: Scalars['DateTime']['output'];
  drifted: Scalars['Boolean']['output'];
  feature: Scalars['String']['output'];
  psi: Scalars['Float']['output'];
  threshold: Scalars['Float']['output'];
  windowEnd: Scalars['DateTime']['output'];
  windowStart: Scalars['DateTime']['output'];
};

export type HealthRule = {
  __typename?: 'HealthRule';
  /** Fraction of failed calls (0..1) above which a version fails. */
  maxErrorRate: Scalars['Float']['output'];
  maxP95Ms: Scalars['Float']['output'];
  /** Fewer calls than this are not judged. */
  minCalls: Scalars['Int']['output'];
  /** How many of the latest calls are judged. */
  window: Scalars['Int']['output'];
};

export type HealthRuleInput = {
  maxErrorRate: Scalars['Float']['input'];
  maxP95Ms: Scalars['Float']['input'];
  minCalls: Scalars['Int']['input'];
  window: Scalars['Int']['input'];
};

export type InferenceReportInput = {
  /** Input feature values of this call (name → number), for drift. */
  features?: InputMaybe<Scalars['JSON']['input']>;
  latencyMs: Scalars['Float']['input'];
  ok: Scalars['Boolean']['input'];
};

export type Model = {
  __typename?: 'Model';
  aliases: Array<ModelAlias>;
  createdAt: Scalars['DateTime']['output'];
  description?: Maybe<Scalars['String']['output']>;
  /** What happened to the model, newest first. */
  events: Array<ModelEvent>;
  /** When a version carrying traffic is judged failing and rolled back. */
  healthRule: HealthRule;
  id: Scalars['ID']['output'];
  name: Scalars['String']['output'];
  task: ModelTask;
  trafficSplit: Array<TrafficWeight>;
  /** Newest first. */
  versions: Array<ModelVersion>;
};


export type ModelEventsArgs = {
  limit?: InputMaybe<Scalars['Int']['input']>;
};

export type ModelAlias = {
  __typename?: 'ModelAlias';
  alias: Scalars['String']['output'];
  updatedAt: Scalars['DateTime']['output'];
  version: ModelVersion;
};

export type ModelEvent = {
  __typename?: 'ModelEvent';
  createdAt: Scalars['DateTime']['output'];
  details?: Maybe<Scalars['JSON']['output']>;
  id: Scalars['ID']['output'];
  kind: ModelEventKind;
  message: Scalars['String']['output'];
  version?: Maybe<ModelVersion>;
};

export type ModelEventKind =
  | 'ALIAS_MOVED'
  | 'DRIFT'
  | 'REGISTERED'
  | 'ROLLBACK'
  | 'SPLIT_CHANGED';

/** A version's health over its latest calls, after a report. */
export type ModelHealth = {
  __typename?: 'ModelHealth';
  calls: Scalars['Int']['output'];
  errorRate: Scalars['Float']['output'];
  healthy: Scalars['Boolean']['output'];
  p95Ms: Scalars['Float']['output'];
  reason?: Maybe<Scalars['String']['output']>;
  /** The version that took all traffic when this one was rolled back. */
  rolledBackTo?: Maybe<ModelVersion>;
  version: ModelVersion;
};

export type ModelTask =
  | 'ANOMALY'
  | 'CHART'
  | 'FORECAST';

export type ModelVersion = {
  __typename?: 'ModelVersion';
  createdAt: Scalars['DateTime']['output'];
  /** Newest first. */
  drift: Array<DriftReport>;
  id: Scalars['ID']['output'];
  inputs: Array<TensorSpec>;
  metrics?: Maybe<Scalars['JSON']['output']>;
  model: Model;
  outputs: Array<TensorSpec>;
  /** sha256 of the ONNX file, hex. */
  sha256: Scalars['String']['output'];
  sizeBytes: Scalars['Int']['output'];
  version: Scalars['Int']['output'];
};

export type Mutation = {
  __typename?: 'Mutation';
  /**
   * Computes PSI now for each input feature of a version (the registry also does so periodically).
   * The model's owner or an ADMIN.
   */
  computeDrift: Array<DriftReport>;
  /** Creates an empty model to register versions under. ADMIN only. */
  createModel: Model;
  /**
   * Registers ONNX bytes as the model's next version (the model is created on first use). Refused
   * when ONNX Runtime cannot load them. `reference`: training samples per input feature
   * (name → numbers), the baseline for drift. A new model name: ANALYST or ADMIN, who becomes its
   * owner; an existing model: its owner (who registered its first version) or an ADMIN. For large
   * files, POST /api/models/:name/versions streams the raw bytes.
   */
  registerModelVersion: ModelVersion;
  /**
   * Outcomes (and inputs) of inferences by one version, as workers report them. A version in the
   * split that breaks the health rule is removed and the last good version takes all traffic.
   * ADMIN only (a user, or an API key with the ADMIN role).
   */
  reportInferences: ModelHealth;
  /** Moves an alias back to the version it pointed at before its last move. Who may: as for setModelAlias. */
  rollbackModel: Model;
  /** ADMIN only. */
  setHealthRule: Model;
  /** Points an alias at a version (history kept). `staging`: the model's owner or an ADMIN; others: ADMIN. */
  setModelAlias: Model;
  /** Percent of traffic per version; the weights sum to 100. ADMIN only. */
  setTrafficSplit: Model;
};


export type MutationComputeDriftArgs = {
  modelName: Scalars['String']['input'];
  version: Scalars['Int']['input'];
};


export type MutationCreateModelArgs = {
  input: CreateModelInput;
};


export type MutationRegisterModelVersionArgs = {
  metrics?: InputMaybe<Scalars['JSON']['input']>;
  modelName: Scalars['String']['input'];
  onnxBase64: Scalars['String']['input'];
  reference?: InputMaybe<Scalars['JSON']['input']>;
  task: ModelTask;
};


export type MutationReportInferencesArgs = {
  modelName: Scalars['String']['input'];
  reports: Array<InferenceReportInput>;
  version: Scalars['Int']['input'];
};


export type MutationRollbackModelArgs = {
  alias: Scalars['String']['input'];
  modelName: Scalars['String']['input'];
};


export type MutationSetHealthRuleArgs = {
  modelName: Scalars['String']['input'];
  rule: HealthRuleInput;
};


export type MutationSetModelAliasArgs = {
  alias: Scalars['String']['input'];
  modelName: Scalars['String']['input'];
  version: Scalars['Int']['input'];
};


export type MutationSetTrafficSplitArgs = {
  modelName: Scalars['String']['input'];
  weights: Array<TrafficWeightInput>;
};

export type Query = {
  __typename?: 'Query';
  /**
   * The version that serves `stickyKey`: by the traffic split (the same key always gets the same
   * version), else the `production` alias; null when neither names one. A newly registered version
   * serves nobody until an ADMIN puts it in the split or moves `production` to it.
   */
  chooseModelVersion?: Maybe<ModelVersion>;
  model?: Maybe<Model>;
  models: Array<Model>;
};


export type QueryChooseModelVersionArgs = {
  modelName: Scalars['String']['input'];
  stickyKey: Scalars['String']['input'];
};


export type QueryModelArgs = {
  name: Scalars['String']['input'];
};


export type QueryModelsArgs = {
  limit?: InputMaybe<Scalars['Int']['input']>;
  offset?: InputMaybe<Scalars['Int']['input']>;
};

export type Subscription = {
  __typename?: 'Subscription';
  /** Events of one model (or of all models), as they happen: registrations, alias moves, splits, rollbacks, drift. */
  modelEvents: ModelEvent;
};


export type SubscriptionModelEventsArgs = {
  modelName?: InputMaybe<Scalars['String']['input']>;
};

/** A tensor read from the ONNX file. */
export type TensorSpec = {
  __typename?: 'TensorSpec';
  name: Scalars['String']['output'];
  /** Dimensions as strings; symbolic ones by name. */
  shape: Array<Scalars['String']['output']>;
  type: Scalars['String']['output'];
};

export type TrafficWeight = {
  __typename?: 'TrafficWeight';
  version: ModelVersion;
  /** Percent. */
  weight: Scalars['Int']['output'];
};

export type TrafficWeightInput = {
  version: Scalars['Int']['input'];
  /** Percent; all weights sum to 100. */
  weight: Scalars['Int']['input'];
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
  Model: Model;
  ModelVersion: ModelVersion;
}>;

/** Mapping of federation reference types */
export type FederationReferenceTypes = ResolversObject<{
  Model:
    ( { __typename: 'Model' }
    & GraphQLRecursivePick<FederationTypes['Model'], {"id":true}> );
  ModelVersion:
    ( { __typename: 'ModelVersion' }
    & GraphQLRecursivePick<FederationTypes['ModelVersion'], {"id":true}> );
}>;



/** Mapping between all available schema types and the resolvers types */
export type ResolversTypes = ResolversObject<{
  CreateModelInput: CreateModelInput;
  String: ResolverTypeWrapper<Scalars['String']['output']>;
  DateTime: ResolverTypeWrapper<Scalars['DateTime']['output']>;
  DriftReport: ResolverTypeWrapper<DriftReportModel>;
  Boolean: ResolverTypeWrapper<Scalars['Boolean']['output']>;
  Float: ResolverTypeWrapper<Scalars['Float']['output']>;
  HealthRule: ResolverTypeWrapper<HealthRule>;
  Int: ResolverTypeWrapper<Scalars['Int']['output']>;
  HealthRuleInput: HealthRuleInput;
  InferenceReportInput: InferenceReportInput;
  JSON: ResolverTypeWrapper<Scalars['JSON']['output']>;
  Model: ResolverTypeWrapper<ModelModel>;
  ID: ResolverTypeWrapper<Scalars['ID']['output']>;
  ModelAlias: ResolverTypeWrapper<ModelAliasModel>;
  ModelEvent: ResolverTypeWrapper<ModelEventModel>;
  ModelEventKind: ModelEventKind;
  ModelHealth: ResolverTypeWrapper<ModelHealthResultModel>;
  ModelTask: ModelTask;
  ModelVersion: ResolverTypeWrapper<ModelVersionModel>;
  Mutation: ResolverTypeWrapper<Record<PropertyKey, never>>;
  Query: ResolverTypeWrapper<Record<PropertyKey, never>>;
  Subscription: ResolverTypeWrapper<Record<PropertyKey, never>>;
  TensorSpec: ResolverTypeWrapper<TensorSpec>;
  TrafficWeight: ResolverTypeWrapper<TrafficWeightModel>;
  TrafficWeightInput: TrafficWeightInput;
}>;

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = ResolversObject<{
  CreateModelInput: CreateModelInput;
  String: Scalars['String']['output'];
  DateTime: Scalars['DateTime']['output'];
  DriftReport: DriftReportModel;
  Boolean: Scalars['Boolean']['output'];
  Float: Scalars['Float']['output'];
  HealthRule: HealthRule;
  Int: Scalars['Int']['output'];
  HealthRuleInput: HealthRuleInput;
  InferenceReportInput: InferenceReportInput;
  JSON: Scalars['JSON']['output'];
  Model: ModelModel;
  ID: Scalars['ID']['output'];
  ModelAlias: ModelAliasModel;
  ModelEvent: ModelEventModel;
  ModelHealth: ModelHealthResultModel;
  ModelVersion: ModelVersionModel;
  Mutation: Record<PropertyKey, never>;
  Query: Record<PropertyKey, never>;
  Subscription: Record<PropertyKey, never>;
  TensorSpec: TensorSpec;
  TrafficWeight: TrafficWeightModel;
  TrafficWeightInput: TrafficWeightInput;
}>;

export interface DateTimeScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['DateTime'], any> {
  name: 'DateTime';
}

export type DriftReportResolvers<ContextType = ModelRegistryContext, ParentType extends ResolversParentTypes['DriftReport'] = ResolversParentTypes['DriftReport']> = ResolversObject<{
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  drifted?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  feature?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  psi?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  threshold?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  windowEnd?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  windowStart?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
}>;

export type HealthRuleResolvers<ContextType = ModelRegistryContext, ParentType extends ResolversParentTypes['HealthRule'] = ResolversParentTypes['HealthRule']> = ResolversObject<{
  maxErrorRate?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  maxP95Ms?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  minCalls?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  window?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export interface JsonScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['JSON'], any> {
  name: 'JSON';
}

export type ModelResolvers<ContextType = ModelRegistryContext, ParentType extends ResolversParentTypes['Model'] = ResolversParentTypes['Model'], FederationReferenceType extends FederationReferenceTypes['Model'] = FederationReferenceTypes['Model']> = ResolversObject<{
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Model']> | FederationReferenceType, FederationReferenceType, ContextType>;
  aliases?: Resolver<Array<ResolversTypes['ModelAlias']>, ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  description?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  events?: Resolver<Array<ResolversTypes['ModelEvent']>, ParentType, ContextType, RequireFields<ModelEventsArgs, 'limit'>>;
  healthRule?: Resolver<ResolversTypes['HealthRule'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  task?: Resolver<ResolversTypes['ModelTask'], ParentType, ContextType>;
  trafficSplit?: Resolver<Array<ResolversTypes['TrafficWeight']>, ParentType, ContextType>;
  versions?: Resolver<Array<ResolversTypes['ModelVersion']>, ParentType, ContextType>;
}>;

export type ModelAliasResolvers<ContextType = ModelRegistryContext, ParentType extends ResolversParentTypes['ModelAlias'] = ResolversParentTypes['ModelAlias']> = ResolversObject<{
  alias?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  updatedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  version?: Resolver<ResolversTypes['ModelVersion'], ParentType, ContextType>;
}>;

export type ModelEventResolvers<ContextType = ModelRegistryContext, ParentType extends ResolversParentTypes['ModelEvent'] = ResolversParentTypes['ModelEvent']> = ResolversObject<{
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  details?: Resolver<Maybe<ResolversTypes['JSON']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  kind?: Resolver<ResolversTypes['ModelEventKind'], ParentType, ContextType>;
  message?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  version?: Resolver<Maybe<ResolversTypes['ModelVersion']>, ParentType, ContextType>;
}>;

export type ModelHealthResolvers<ContextType = ModelRegistryContext, ParentType extends ResolversParentTypes['ModelHealth'] = ResolversParentTypes['ModelHealth']> = ResolversObject<{
  calls?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  errorRate?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  healthy?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  p95Ms?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  reason?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  rolledBackTo?: Resolver<Maybe<ResolversTypes['ModelVersion']>, ParentType, ContextType>;
  version?: Resolver<ResolversTypes['ModelVersion'], ParentType, ContextType>;
}>;

export type ModelVersionResolvers<ContextType = ModelRegistryContext, ParentType extends ResolversParentTypes['ModelVersion'] = ResolversParentTypes['ModelVersion'], FederationReferenceType extends FederationReferenceTypes['ModelVersion'] = FederationReferenceTypes['ModelVersion']> = ResolversObject<{
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['ModelVersion']> | FederationReferenceType, FederationReferenceType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  drift?: Resolver<Array<ResolversTypes['DriftReport']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  inputs?: Resolver<Array<ResolversTypes['TensorSpec']>, ParentType, ContextType>;
  metrics?: Resolver<Maybe<ResolversTypes['JSON']>, ParentType, ContextType>;
  model?: Resolver<ResolversTypes['Model'], ParentType, ContextType>;
  outputs?: Resolver<Array<ResolversTypes['TensorSpec']>, ParentType, ContextType>;
  sha256?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  sizeBytes?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  version?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export type MutationResolvers<ContextType = ModelRegistryContext, ParentType extends ResolversParentTypes['Mutation'] = ResolversParentTypes['Mutation']> = ResolversObject<{
  computeDrift?: Resolver<Array<ResolversTypes['DriftReport']>, ParentType, ContextType, RequireFields<MutationComputeDriftArgs, 'modelName' | 'version'>>;
  createModel?: Resolver<ResolversTypes['Model'], ParentType, ContextType, RequireFields<MutationCreateModelArgs, 'input'>>;
  registerModelVersion?: Resolver<ResolversTypes['ModelVersion'], ParentType, ContextType, RequireFields<MutationRegisterModelVersionArgs, 'modelName' | 'onnxBase64' | 'task'>>;
  reportInferences?: Resolver<ResolversTypes['ModelHealth'], ParentType, ContextType, RequireFields<MutationReportInferencesArgs, 'modelName' | 'reports' | 'version'>>;
  rollbackModel?: Resolver<ResolversTypes['Model'], ParentType, ContextType, RequireFields<MutationRollbackModelArgs, 'alias' | 'modelName'>>;
  setHealthRule?: Resolver<ResolversTypes['Model'], ParentType, ContextType, RequireFields<MutationSetHealthRuleArgs, 'modelName' | 'rule'>>;
  setModelAlias?: Resolver<ResolversTypes['Model'], ParentType, ContextType, RequireFields<MutationSetModelAliasArgs, 'alias' | 'modelName' | 'version'>>;
  setTrafficSplit?: Resolver<ResolversTypes['Model'], ParentType, ContextType, RequireFields<MutationSetTrafficSplitArgs, 'modelName' | 'weights'>>;
}>;

export type QueryResolvers<ContextType = ModelRegistryContext, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = ResolversObject<{
  chooseModelVersion?: Resolver<Maybe<ResolversTypes['ModelVersion']>, ParentType, ContextType, RequireFields<QueryChooseModelVersionArgs, 'modelName' | 'stickyKey'>>;
  model?: Resolver<Maybe<ResolversTypes['Model']>, ParentType, ContextType, RequireFields<QueryModelArgs, 'name'>>;
  models?: Resolver<Array<ResolversTypes['Model']>, ParentType, ContextType, RequireFields<QueryModelsArgs, 'limit' | 'offset'>>;
}>;

export type SubscriptionResolvers<ContextType = ModelRegistryContext, ParentType extends ResolversParentTypes['Subscription'] = ResolversParentTypes['Subscription']> = ResolversObject<{
  modelEvents?: SubscriptionResolver<ResolversTypes['ModelEvent'], "modelEvents", ParentType, ContextType, Partial<SubscriptionModelEventsArgs>>;
}>;

export type TensorSpecResolvers<ContextType = ModelRegistryContext, ParentType extends ResolversParentTypes['TensorSpec'] = ResolversParentTypes['TensorSpec']> = ResolversObject<{
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  shape?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  type?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type TrafficWeightResolvers<ContextType = ModelRegistryContext, ParentType extends ResolversParentTypes['TrafficWeight'] = ResolversParentTypes['TrafficWeight']> = ResolversObject<{
  version?: Resolver<ResolversTypes['ModelVersion'], ParentType, ContextType>;
  weight?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export type Resolvers<ContextType = ModelRegistryContext> = ResolversObject<{
  DateTime?: GraphQLScalarType;
  DriftReport?: DriftReportResolvers<ContextType>;
  HealthRule?: HealthRuleResolvers<ContextType>;
  JSON?: GraphQLScalarType;
  Model?: ModelResolvers<ContextType>;
  ModelAlias?: ModelAliasResolvers<ContextType>;
  ModelEvent?: ModelEventResolvers<ContextType>;
  ModelHealth?: ModelHealthResolvers<ContextType>;
  ModelVersion?: ModelVersionResolvers<ContextType>;
  Mutation?: MutationResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
  Subscription?: SubscriptionResolvers<ContextType>;
  TensorSpec?: TensorSpecResolvers<ContextType>;
  TrafficWeight?: TrafficWeightResolvers<ContextType>;
}>;

