import type { GraphQLResolveInfo, GraphQLScalarType, GraphQLScalarTypeConfig } from 'graphql';
import type { Model as ModelModel, ModelVersion as ModelVersionModel, ModelAlias as ModelAliasModel, TrafficWeight as TrafficWeightModel, DriftReport as DriftReportModel } from '../../../lib/prisma.js';
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
  drifted: Scalars['Boolean']['output'];
  feature: Scalars['String']['output'];
  psi: Scalars['Float']['output'];
  windowEnd: Scalars['DateTime']['output'];
  windowStart: Scalars['DateTime']['output'];
};

export type Model = {
  __typename?: 'Model';
  aliases: Array<ModelAlias>;
  createdAt: Scalars['DateTime']['output'];
  description?: Maybe<Scalars['String']['output']>;
  id: Scalars['ID']['output'];
  name: Scalars['String']['output'];
  task: ModelTask;
  trafficSplit: Array<TrafficWeight>;
  /** Newest first. */
  versions: Array<ModelVersion>;
};

export type ModelAlias = {
  __typename?: 'ModelAlias';
  alias: Scalars['String']['output'];
  updatedAt: Scalars['DateTime']['output'];
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
  /** Creates an empty model to register versions under. ADMIN only. */
  createModel: Model;
};


export type MutationCreateModelArgs = {
  input: CreateModelInput;
};

export type Query = {
  __typename?: 'Query';
  model?: Maybe<Model>;
  models: Array<Model>;
};


export type QueryModelArgs = {
  name: Scalars['String']['input'];
};


export type QueryModelsArgs = {
  limit?: InputMaybe<Scalars['Int']['input']>;
  offset?: InputMaybe<Scalars['Int']['input']>;
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
  JSON: ResolverTypeWrapper<Scalars['JSON']['output']>;
  Model: ResolverTypeWrapper<ModelModel>;
  ID: ResolverTypeWrapper<Scalars['ID']['output']>;
  ModelAlias: ResolverTypeWrapper<ModelAliasModel>;
  ModelTask: ModelTask;
  ModelVersion: ResolverTypeWrapper<ModelVersionModel>;
  Int: ResolverTypeWrapper<Scalars['Int']['output']>;
  Mutation: ResolverTypeWrapper<Record<PropertyKey, never>>;
  Query: ResolverTypeWrapper<Record<PropertyKey, never>>;
  TensorSpec: ResolverTypeWrapper<TensorSpec>;
  TrafficWeight: ResolverTypeWrapper<TrafficWeightModel>;
}>;

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = ResolversObject<{
  CreateModelInput: CreateModelInput;
  String: Scalars['String']['output'];
  DateTime: Scalars['DateTime']['output'];
  DriftReport: DriftReportModel;
  Boolean: Scalars['Boolean']['output'];
  Float: Scalars['Float']['output'];
  JSON: Scalars['JSON']['output'];
  Model: ModelModel;
  ID: Scalars['ID']['output'];
  ModelAlias: ModelAliasModel;
  ModelVersion: ModelVersionModel;
  Int: Scalars['Int']['output'];
  Mutation: Record<PropertyKey, never>;
  Query: Record<PropertyKey, never>;
  TensorSpec: TensorSpec;
  TrafficWeight: TrafficWeightModel;
}>;

export interface DateTimeScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['DateTime'], any> {
  name: 'DateTime';
}

export type DriftReportResolvers<ContextType = ModelRegistryContext, ParentType extends ResolversParentTypes['DriftReport'] = ResolversParentTypes['DriftReport']> = ResolversObject<{
  drifted?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  feature?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  psi?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  windowEnd?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  windowStart?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
}>;

export interface JsonScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['JSON'], any> {
  name: 'JSON';
}

export type ModelResolvers<ContextType = ModelRegistryContext, ParentType extends ResolversParentTypes['Model'] = ResolversParentTypes['Model'], FederationReferenceType extends FederationReferenceTypes['Model'] = FederationReferenceTypes['Model']> = ResolversObject<{
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Model']> | FederationReferenceType, FederationReferenceType, ContextType>;
  aliases?: Resolver<Array<ResolversTypes['ModelAlias']>, ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  description?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
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
  createModel?: Resolver<ResolversTypes['Model'], ParentType, ContextType, RequireFields<MutationCreateModelArgs, 'input'>>;
}>;

export type QueryResolvers<ContextType = ModelRegistryContext, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = ResolversObject<{
  model?: Resolver<Maybe<ResolversTypes['Model']>, ParentType, ContextType, RequireFields<QueryModelArgs, 'name'>>;
  models?: Resolver<Array<ResolversTypes['Model']>, ParentType, ContextType, RequireFields<QueryModelsArgs, 'limit' | 'offset'>>;
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
  JSON?: GraphQLScalarType;
  Model?: ModelResolvers<ContextType>;
  ModelAlias?: ModelAliasResolvers<ContextType>;
  ModelVersion?: ModelVersionResolvers<ContextType>;
  Mutation?: MutationResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
  TensorSpec?: TensorSpecResolvers<ContextType>;
  TrafficWeight?: TrafficWeightResolvers<ContextType>;
}>;

