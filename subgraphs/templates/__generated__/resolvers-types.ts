import type { GraphQLResolveInfo, GraphQLScalarType, GraphQLScalarTypeConfig } from 'graphql';
import type { User as UserModel, ApiKey as ApiKeyModel, PersistedOperation as PersistedOperationModel, ReportTemplate as ReportTemplateModel, TemplateVersion as TemplateVersionModel, ReportRun as ReportRunModel, ReportSchedule as ReportScheduleModel, ReportDelivery as ReportDeliveryModel, DeliveryAttempt as DeliveryAttemptModel, SnapshotLink as SnapshotLinkModel } from '../../../lib/prisma.js';
import type { RenderedReport as RenderedReportModel } from '../data/render.js';
import type { TemplatesContext } from '../context.js';
export type Maybe<T> = T | null;
export type InputMaybe<T> = Maybe<T>;
export type Omit<T, K extends keyof T> = Pick<T, Exclude<keyof T, K>>;
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

/** A machine client (BI tool, script). The key itself is shown only once, at creation. */
export type ApiKey = {
  __typename?: 'ApiKey';
  createdAt: Scalars['DateTime']['output'];
  /**
   * The ADMIN who made it (null when made by another API key, or when that user is gone): an ADMIN
   * key outlives nobody unseen — find a departed ADMIN's keys and revoke them.
   */
  createdBy?: Maybe<User>;
  id: Scalars['ID']['output'];
  lastUsedAt?: Maybe<Scalars['DateTime']['output']>;
  name: Scalars['String']['output'];
  /** The first characters of the key, to tell keys apart. */
  prefix: Scalars['String']['output'];
  revokedAt?: Maybe<Scalars['DateTime']['output']>;
  role: Role;
};

export type AuthPayload = {
  __typename?: 'AuthPayload';
  expiresAt: Scalars['DateTime']['output'];
  token: Scalars['String']['output'];
  user: User;
};

export type CreateApiKeyPayload = {
  __typename?: 'CreateApiKeyPayload';
  apiKey: ApiKey;
  /** The key, shown only this once: send it as `X-API-Key`. */
  key: Scalars['String']['output'];
};

export type CreateTemplateInput = {
  datasetId: Scalars['ID']['input'];
  description?: InputMaybe<Scalars['String']['input']>;
  name: Scalars['String']['input'];
  parameters?: InputMaybe<Array<TemplateParameterInput>>;
  sections?: InputMaybe<Scalars['JSON']['input']>;
};

export type CreateUserInput = {
  password: Scalars['String']['input'];
  role: Role;
  username: Scalars['String']['input'];
};

/** A dataset, owned by the datasets subgraph. */
export type Dataset = {
  __typename?: 'Dataset';
  id: Scalars['ID']['output'];
};

export type DeliveryAttempt = {
  __typename?: 'DeliveryAttempt';
  attempt: Scalars['Int']['output'];
  durationMs: Scalars['Int']['output'];
  error?: Maybe<Scalars['String']['output']>;
  ok: Scalars['Boolean']['output'];
  /** The webhook's HTTP status, or the SMTP server's reply code. */
  responseCode?: Maybe<Scalars['Int']['output']>;
  startedAt: Scalars['DateTime']['output'];
};

export type DeliveryChannel =
  | 'EMAIL'
  | 'WEBHOOK';

export type DeliveryStatus =
  | 'CANCELLED'
  | 'DELIVERED'
  | 'FAILED'
  | 'PENDING';

export type ExportFormat =
  | 'CSV'
  | 'PDF'
  | 'XLSX';

export type Mutation = {
  __typename?: 'Mutation';
  /** ADMIN only. */
  createApiKey: CreateApiKeyPayload;
  /**
   * Freezes the report as it renders now into a public, read-only link, valid for `expiresInHours`
   * (at most SNAPSHOT_LINK_MAX_HOURS; by default a week, or that maximum when it is shorter).
   * ANALYST or ADMIN.
   */
  createSnapshotLink: SnapshotLink;
  /** ANALYST or ADMIN. */
  createTemplate: ReportTemplate;
  /** ADMIN only. */
  createUser: User;
  /** Deletes a schedule; its runs stay, deliveries not yet made are cancelled. Its owner or an ADMIN. */
  deleteReportSchedule: Scalars['Boolean']['output'];
  /** The owner or an ADMIN. */
  deleteTemplate: Scalars['Boolean']['output'];
  /**
   * A download URL of the report in `format`, valid for EXPORT_LINK_TTL_SECONDS, that works without
   * credentials (as the caller): `GET /api/reports/:templateId/export.<format>?<params>&sig=...`.
   */
  exportReport: Scalars['String']['output'];
  login: AuthPayload;
  /** ADMIN only. The id is the sha256 of the document. */
  registerPersistedOperation: PersistedOperation;
  /** ADMIN only. */
  revokeApiKey: Scalars['Boolean']['output'];
  /** ADMIN only. */
  revokePersistedOperation: Scalars['Boolean']['output'];
  /** Its maker or an ADMIN. */
  revokeSnapshotLink: Scalars['Boolean']['output'];
  /** Renders now (bypassing the cache) and stores the run. */
  runReport: ReportRun;
  /**
   * Runs the report on a cron schedule (5 or 6 fields) in `timezone` and delivers each run: an
   * email to `recipients` with `formats` attached (SMTP_URL), and a signed POST to `webhookUrl`.
   * The owner or an ADMIN.
   */
  scheduleReport: ReportSchedule;
  /** ADMIN only: turns public snapshot links on or off for everyone (existing links stop or resume working). */
  setSnapshotLinksEnabled: Scalars['Boolean']['output'];
  /** Changes, pauses or resumes a schedule. Its owner or an ADMIN. */
  updateReportSchedule: ReportSchedule;
  /** Adds a version. The owner or an ADMIN. */
  updateTemplate: ReportTemplate;
  /** ADMIN only. The last enabled ADMIN cannot be demoted or disabled. */
  updateUser: User;
};


export type MutationCreateApiKeyArgs = {
  name: Scalars['String']['input'];
  role: Role;
};


export type MutationCreateSnapshotLinkArgs = {
  expiresInHours?: InputMaybe<Scalars['Int']['input']>;
  params?: InputMaybe<Scalars['JSON']['input']>;
  templateId: Scalars['ID']['input'];
};


export type MutationCreateTemplateArgs = {
  input: CreateTemplateInput;
};


export type MutationCreateUserArgs = {
  input: CreateUserInput;
};


export type MutationDeleteReportScheduleArgs = {
  id: Scalars['ID']['input'];
};


export type MutationDeleteTemplateArgs = {
  id: Scalars['ID']['input'];
};


export type MutationExportReportArgs = {
  format: ExportFormat;
  params?: InputMaybe<Scalars['JSON']['input']>;
  templateId: Scalars['ID']['input'];
};


export type MutationLoginArgs = {
  password: Scalars['String']['input'];
  username: Scalars['String']['input'];
};


export type MutationRegisterPersistedOperationArgs = {
  document: Scalars['String']['input'];
  name: Scalars['String']['input'];
};


export type MutationRevokeApiKeyArgs = {
  id: Scalars['ID']['input'];
};


export type MutationRevokePersistedOperationArgs = {
  id: Scalars['ID']['input'];
};


export type MutationRevokeSnapshotLinkArgs = {
  id: Scalars['ID']['input'];
};


export type MutationRunReportArgs = {
  params?: InputMaybe<Scalars['JSON']['input']>;
  templateId: Scalars['ID']['input'];
};


export type MutationScheduleReportArgs = {
  cron: Scalars['String']['input'];
  formats?: InputMaybe<Array<ExportFormat>>;
  params?: InputMaybe<Scalars['JSON']['input']>;
  recipients?: InputMaybe<Array<Scalars['String']['input']>>;
  templateId: Scalars['ID']['input'];
  timezone?: InputMaybe<Scalars['String']['input']>;
  webhookUrl?: InputMaybe<Scalars['String']['input']>;
};


export type MutationSetSnapshotLinksEnabledArgs = {
  enabled: Scalars['Boolean']['input'];
};


export type MutationUpdateReportScheduleArgs = {
  id: Scalars['ID']['input'];
  input: UpdateReportScheduleInput;
};


export type MutationUpdateTemplateArgs = {
  id: Scalars['ID']['input'];
  input: UpdateTemplateInput;
};


export type MutationUpdateUserArgs = {
  id: Scalars['ID']['input'];
  input: UpdateUserInput;
};

export type ParameterType =
  | 'BOOLEAN'
  | 'DATE'
  | 'FLOAT'
  | 'INTEGER'
  | 'STRING';

/** A trusted operation a BI tool can run by id (`GET /graphql?documentId=<id>`). */
export type PersistedOperation = {
  __typename?: 'PersistedOperation';
  createdAt: Scalars['DateTime']['output'];
  document: Scalars['String']['output'];
  /** sha256 of the document, hex. */
  id: Scalars['ID']['output'];
  name: Scalars['String']['output'];
  revokedAt?: Maybe<Scalars['DateTime']['output']>;
};

export type Query = {
  __typename?: 'Query';
  /** API clients. ADMIN only. */
  apiKeys: Array<ApiKey>;
  /** The signed-in user (null for an API key or nobody). */
  me?: Maybe<User>;
  /** Trusted operations. ADMIN only. */
  persistedOperations: Array<PersistedOperation>;
  /** Renders the template with `params`, or serves it from the hot-report cache. */
  report: Report;
  /** Report schedules: the caller's own (every one for an ADMIN), of one template when `templateId` is given. */
  reportSchedules: Array<ReportSchedule>;
  /** Snapshot links the caller made (every one for an ADMIN), newest first. */
  snapshotLinks: Array<SnapshotLink>;
  /** Whether public snapshot links work now (SNAPSHOT_LINKS and the ADMIN's switch). */
  snapshotLinksEnabled: Scalars['Boolean']['output'];
  template?: Maybe<ReportTemplate>;
  templates: Array<ReportTemplate>;
  /** All users. ADMIN only. */
  users: Array<User>;
};


export type QueryApiKeysArgs = {
  limit?: InputMaybe<Scalars['Int']['input']>;
  offset?: InputMaybe<Scalars['Int']['input']>;
};


export type QueryPersistedOperationsArgs = {
  limit?: InputMaybe<Scalars['Int']['input']>;
  offset?: InputMaybe<Scalars['Int']['input']>;
};


export type QueryReportArgs = {
  params?: InputMaybe<Scalars['JSON']['input']>;
  templateId: Scalars['ID']['input'];
};


export type QueryReportSchedulesArgs = {
  limit?: InputMaybe<Scalars['Int']['input']>;
  offset?: InputMaybe<Scalars['Int']['input']>;
  templateId?: InputMaybe<Scalars['ID']['input']>;
};


export type QuerySnapshotLinksArgs = {
  limit?: InputMaybe<Scalars['Int']['input']>;
  offset?: InputMaybe<Scalars['Int']['input']>;
  templateId?: InputMaybe<Scalars['ID']['input']>;
};


export type QueryTemplateArgs = {
  id: Scalars['ID']['input'];
};


export type QueryTemplatesArgs = {
  limit?: InputMaybe<Scalars['Int']['input']>;
  offset?: InputMaybe<Scalars['Int']['input']>;
};


export type QueryUsersArgs = {
  limit?: InputMaybe<Scalars['Int']['input']>;
  offset?: InputMaybe<Scalars['Int']['input']>;
};

/** A rendered report: each section's rows, and its value, chart or text. */
export type Report = {
  __typename?: 'Report';
  /** Served from the hot-report cache. */
  cached: Scalars['Boolean']['output'];
  /** How long the rendering took (for a cached report: the original rendering). */
  durationMs: Scalars['Float']['output'];
  generatedAt: Scalars['DateTime']['output'];
  /**
   * The web app's page of this report with these parameters (`/reports/:templateId?<params>`), for
   * another signed-in user to open.
   */
  link: Scalars['String']['output'];
  params: Scalars['JSON']['output'];
  sections: Scalars['JSON']['output'];
  template: ReportTemplate;
};

/** One channel's delivery of a run: at least once, retried with exponential backoff. */
export type ReportDelivery = {
  __typename?: 'ReportDelivery';
  attempts: Scalars['Int']['output'];
  channel: DeliveryChannel;
  deliveredAt?: Maybe<Scalars['DateTime']['output']>;
  id: Scalars['ID']['output'];
  lastError?: Maybe<Scalars['String']['output']>;
  /** Every attempt, oldest first. */
  log: Array<DeliveryAttempt>;
  /** When the next attempt is due, while PENDING. */
  nextAttemptAt?: Maybe<Scalars['DateTime']['output']>;
  status: DeliveryStatus;
  /** The email addresses, or the webhook URL (secrets redacted). */
  target: Array<Scalars['String']['output']>;
};

export type ReportRun = {
  __typename?: 'ReportRun';
  createdAt: Scalars['DateTime']['output'];
  /** Where the run was sent, one entry per channel (email, webhook), for whoever manages its schedule. */
  deliveries: Array<ReportDelivery>;
  /** All deliveries together: NONE when the run goes nowhere. */
  deliveryStatus: RunDeliveryStatus;
  durationMs?: Maybe<Scalars['Int']['output']>;
  error?: Maybe<Scalars['String']['output']>;
  finishedAt?: Maybe<Scalars['DateTime']['output']>;
  id: Scalars['ID']['output'];
  params: Scalars['JSON']['output'];
  report?: Maybe<Report>;
  schedule?: Maybe<ReportSchedule>;
  /** The schedule's occurrence this run is for (null for a run asked for by hand). */
  scheduledFor?: Maybe<Scalars['DateTime']['output']>;
  status: RunStatus;
  template: ReportTemplate;
  templateVersion: Scalars['Int']['output'];
};

export type ReportSchedule = {
  __typename?: 'ReportSchedule';
  createdAt: Scalars['DateTime']['output'];
  cron: Scalars['String']['output'];
  /** False while paused. */
  enabled: Scalars['Boolean']['output'];
  formats: Array<ExportFormat>;
  id: Scalars['ID']['output'];
  lastRunAt?: Maybe<Scalars['DateTime']['output']>;
  nextRunAt?: Maybe<Scalars['DateTime']['output']>;
  params: Scalars['JSON']['output'];
  recipients: Array<Scalars['String']['output']>;
  /** Its runs, newest first. */
  runs: Array<ReportRun>;
  template: ReportTemplate;
  timezone: Scalars['String']['output'];
  /** Signs each webhook call (`X-ReportGraph-Signature`); shown only to the schedule's owner and ADMINs. */
  webhookSecret?: Maybe<Scalars['String']['output']>;
  /** The webhook URL, secrets in it redacted. */
  webhookUrl?: Maybe<Scalars['String']['output']>;
};


export type ReportScheduleRunsArgs = {
  limit?: InputMaybe<Scalars['Int']['input']>;
};

export type ReportTemplate = {
  __typename?: 'ReportTemplate';
  createdAt: Scalars['DateTime']['output'];
  dataset: Dataset;
  description?: Maybe<Scalars['String']['output']>;
  id: Scalars['ID']['output'];
  /** The web app's page of this report with `params` (checked against the parameters). */
  link: Scalars['String']['output'];
  name: Scalars['String']['output'];
  owner?: Maybe<User>;
  parameters: Array<TemplateParameter>;
  /** Stored runs, newest first. */
  runs: Array<ReportRun>;
  /** The schedules the caller may see: their own (every one for an ADMIN). */
  schedules: Array<ReportSchedule>;
  /** KPIs, tables, charts and narrative placeholders, each bound to a dataset query. */
  sections?: Maybe<Scalars['JSON']['output']>;
  updatedAt: Scalars['DateTime']['output'];
  /** The latest version number; every update adds one. */
  version: Scalars['Int']['output'];
  versions: Array<TemplateVersion>;
};


export type ReportTemplateLinkArgs = {
  params?: InputMaybe<Scalars['JSON']['input']>;
};


export type ReportTemplateRunsArgs = {
  limit?: InputMaybe<Scalars['Int']['input']>;
};

export type Role =
  | 'ADMIN'
  | 'ANALYST'
  | 'VIEWER';

export type RunDeliveryStatus =
  | 'DELIVERED'
  | 'FAILED'
  | 'NONE'
  | 'PARTIAL'
  | 'PENDING';

export type RunStatus =
  | 'FAILED'
  | 'RUNNING'
  | 'SUCCEEDED';

/** A public, read-only snapshot of a report, reached without signing in until it expires or is revoked. */
export type SnapshotLink = {
  __typename?: 'SnapshotLink';
  createdAt: Scalars['DateTime']['output'];
  createdBy?: Maybe<User>;
  expiresAt: Scalars['DateTime']['output'];
  id: Scalars['ID']['output'];
  params: Scalars['JSON']['output'];
  revokedAt?: Maybe<Scalars['DateTime']['output']>;
  template: ReportTemplate;
  /** The link itself (JSON at this URL; the print page at `<url>/print`). */
  url: Scalars['String']['output'];
};

export type TemplateParameter = {
  __typename?: 'TemplateParameter';
  default?: Maybe<Scalars['JSON']['output']>;
  description?: Maybe<Scalars['String']['output']>;
  name: Scalars['String']['output'];
  required: Scalars['Boolean']['output'];
  type: ParameterType;
};

export type TemplateParameterInput = {
  default?: InputMaybe<Scalars['JSON']['input']>;
  description?: InputMaybe<Scalars['String']['input']>;
  name: Scalars['String']['input'];
  required?: InputMaybe<Scalars['Boolean']['input']>;
  type: ParameterType;
};

/** An immutable snapshot of a template. */
export type TemplateVersion = {
  __typename?: 'TemplateVersion';
  createdAt: Scalars['DateTime']['output'];
  createdBy?: Maybe<User>;
  dataset: Dataset;
  description?: Maybe<Scalars['String']['output']>;
  name: Scalars['String']['output'];
  parameters: Array<TemplateParameter>;
  sections?: Maybe<Scalars['JSON']['output']>;
  version: Scalars['Int']['output'];
};

/** What to change about a schedule; fields left out stay as they are. */
export type UpdateReportScheduleInput = {
  cron?: InputMaybe<Scalars['String']['input']>;
  /** The same switch as `paused`, the other way round (as `ReportSchedule.enabled` reads). */
  enabled?: InputMaybe<Scalars['Boolean']['input']>;
  formats?: InputMaybe<Array<ExportFormat>>;
  params?: InputMaybe<Scalars['JSON']['input']>;
  /** true pauses the schedule, false resumes it from the next occurrence after now. */
  paused?: InputMaybe<Scalars['Boolean']['input']>;
  recipients?: InputMaybe<Array<Scalars['String']['input']>>;
  /** A new webhook signing secret (the old one stops working at once). */
  rotateWebhookSecret?: InputMaybe<Scalars['Boolean']['input']>;
  timezone?: InputMaybe<Scalars['String']['input']>;
  /** An empty string removes the webhook. */
  webhookUrl?: InputMaybe<Scalars['String']['input']>;
};

export type UpdateTemplateInput = {
  datasetId?: InputMaybe<Scalars['ID']['input']>;
  description?: InputMaybe<Scalars['String']['input']>;
  name?: InputMaybe<Scalars['String']['input']>;
  parameters?: InputMaybe<Array<TemplateParameterInput>>;
  sections?: InputMaybe<Scalars['JSON']['input']>;
};

/** What to change about a user; fields left out stay as they are. */
export type UpdateUserInput = {
  /** A disabled user cannot sign in, and their tokens and live connections stop working within seconds. */
  disabled?: InputMaybe<Scalars['Boolean']['input']>;
  password?: InputMaybe<Scalars['String']['input']>;
  role?: InputMaybe<Role>;
};

export type User = {
  __typename?: 'User';
  createdAt: Scalars['DateTime']['output'];
  /** Set while the user is disabled (shown to ADMINs and to the user; null for anyone else). */
  disabledAt?: Maybe<Scalars['DateTime']['output']>;
  id: Scalars['ID']['output'];
  role: Role;
  /** Templates this user owns. */
  templates: Array<ReportTemplate>;
  username: Scalars['String']['output'];
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
  ReportTemplate: ReportTemplate;
  User: User;
}>;

/** Mapping of federation reference types */
export type FederationReferenceTypes = ResolversObject<{
  ReportTemplate:
    ( { __typename: 'ReportTemplate' }
    & GraphQLRecursivePick<FederationTypes['ReportTemplate'], {"id":true}> );
  User:
    ( { __typename: 'User' }
    & GraphQLRecursivePick<FederationTypes['User'], {"id":true}> );
}>;



/** Mapping between all available schema types and the resolvers types */
export type ResolversTypes = ResolversObject<{
  ApiKey: ResolverTypeWrapper<ApiKeyModel>;
  ID: ResolverTypeWrapper<Scalars['ID']['output']>;
  String: ResolverTypeWrapper<Scalars['String']['output']>;
  AuthPayload: ResolverTypeWrapper<Omit<AuthPayload, 'user'> & { user: ResolversTypes['User'] }>;
  CreateApiKeyPayload: ResolverTypeWrapper<Omit<CreateApiKeyPayload, 'apiKey'> & { apiKey: ResolversTypes['ApiKey'] }>;
  CreateTemplateInput: CreateTemplateInput;
  CreateUserInput: CreateUserInput;
  Dataset: ResolverTypeWrapper<Dataset>;
  DateTime: ResolverTypeWrapper<Scalars['DateTime']['output']>;
  DeliveryAttempt: ResolverTypeWrapper<DeliveryAttemptModel>;
  Int: ResolverTypeWrapper<Scalars['Int']['output']>;
  Boolean: ResolverTypeWrapper<Scalars['Boolean']['output']>;
  DeliveryChannel: DeliveryChannel;
  DeliveryStatus: DeliveryStatus;
  ExportFormat: ExportFormat;
  JSON: ResolverTypeWrapper<Scalars['JSON']['output']>;
  Mutation: ResolverTypeWrapper<Record<PropertyKey, never>>;
  ParameterType: ParameterType;
  PersistedOperation: ResolverTypeWrapper<PersistedOperationModel>;
  Query: ResolverTypeWrapper<Record<PropertyKey, never>>;
  Report: ResolverTypeWrapper<RenderedReportModel>;
  Float: ResolverTypeWrapper<Scalars['Float']['output']>;
  ReportDelivery: ResolverTypeWrapper<ReportDeliveryModel>;
  ReportRun: ResolverTypeWrapper<ReportRunModel>;
  ReportSchedule: ResolverTypeWrapper<ReportScheduleModel>;
  ReportTemplate: ResolverTypeWrapper<ReportTemplateModel>;
  Role: Role;
  RunDeliveryStatus: RunDeliveryStatus;
  RunStatus: RunStatus;
  SnapshotLink: ResolverTypeWrapper<SnapshotLinkModel>;
  TemplateParameter: ResolverTypeWrapper<TemplateParameter>;
  TemplateParameterInput: TemplateParameterInput;
  TemplateVersion: ResolverTypeWrapper<TemplateVersionModel>;
  UpdateReportScheduleInput: UpdateReportScheduleInput;
  UpdateTemplateInput: UpdateTemplateInput;
  UpdateUserInput: UpdateUserInput;
  User: ResolverTypeWrapper<UserModel>;
}>;

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = ResolversObject<{
  ApiKey: ApiKeyModel;
  ID: Scalars['ID']['output'];
  String: Scalars['String']['output'];
  AuthPayload: Omit<AuthPayload, 'user'> & { user: ResolversParentTypes['User'] };
  CreateApiKeyPayload: Omit<CreateApiKeyPayload, 'apiKey'> & { apiKey: ResolversParentTypes['ApiKey'] };
  CreateTemplateInput: CreateTemplateInput;
  CreateUserInput: CreateUserInput;
  Dataset: Dataset;
  DateTime: Scalars['DateTime']['output'];
  DeliveryAttempt: DeliveryAttemptModel;
  Int: Scalars['Int']['output'];
  Boolean: Scalars['Boolean']['output'];
  JSON: Scalars['JSON']['output'];
  Mutation: Record<PropertyKey, never>;
  PersistedOperation: PersistedOperationModel;
  Query: Record<PropertyKey, never>;
  Report: RenderedReportModel;
  Float: Scalars['Float']['output'];
  ReportDelivery: ReportDeliveryModel;
  ReportRun: ReportRunModel;
  ReportSchedule: ReportScheduleModel;
  ReportTemplate: ReportTemplateModel;
  SnapshotLink: SnapshotLinkModel;
  TemplateParameter: TemplateParameter;
  TemplateParameterInput: TemplateParameterInput;
  TemplateVersion: TemplateVersionModel;
  UpdateReportScheduleInput: UpdateReportScheduleInput;
  UpdateTemplateInput: UpdateTemplateInput;
  UpdateUserInput: UpdateUserInput;
  User: UserModel;
}>;

export type ApiKeyResolvers<ContextType = TemplatesContext, ParentType extends ResolversParentTypes['ApiKey'] = ResolversParentTypes['ApiKey']> = ResolversObject<{
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  createdBy?: Resolver<Maybe<ResolversTypes['User']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  lastUsedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  prefix?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  revokedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  role?: Resolver<ResolversTypes['Role'], ParentType, ContextType>;
}>;

export type AuthPayloadResolvers<ContextType = TemplatesContext, ParentType extends ResolversParentTypes['AuthPayload'] = ResolversParentTypes['AuthPayload']> = ResolversObject<{
  expiresAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  token?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  user?: Resolver<ResolversTypes['User'], ParentType, ContextType>;
}>;

export type CreateApiKeyPayloadResolvers<ContextType = TemplatesContext, ParentType extends ResolversParentTypes['CreateApiKeyPayload'] = ResolversParentTypes['CreateApiKeyPayload']> = ResolversObject<{
  apiKey?: Resolver<ResolversTypes['ApiKey'], ParentType, ContextType>;
  key?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type DatasetResolvers<ContextType = TemplatesContext, ParentType extends ResolversParentTypes['Dataset'] = ResolversParentTypes['Dataset']> = ResolversObject<{
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
}>;

export interface DateTimeScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['DateTime'], any> {
  name: 'DateTime';
}

export type DeliveryAttemptResolvers<ContextType = TemplatesContext, ParentType extends ResolversParentTypes['DeliveryAttempt'] = ResolversParentTypes['DeliveryAttempt']> = ResolversObject<{
  attempt?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  durationMs?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  error?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  ok?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  responseCode?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  startedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
}>;

export interface JsonScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['JSON'], any> {
  name: 'JSON';
}

export type MutationResolvers<ContextType = TemplatesContext, ParentType extends ResolversParentTypes['Mutation'] = ResolversParentTypes['Mutation']> = ResolversObject<{
  createApiKey?: Resolver<ResolversTypes['CreateApiKeyPayload'], ParentType, ContextType, RequireFields<MutationCreateApiKeyArgs, 'name' | 'role'>>;
  createSnapshotLink?: Resolver<ResolversTypes['SnapshotLink'], ParentType, ContextType, RequireFields<MutationCreateSnapshotLinkArgs, 'templateId'>>;
  createTemplate?: Resolver<ResolversTypes['ReportTemplate'], ParentType, ContextType, RequireFields<MutationCreateTemplateArgs, 'input'>>;
  createUser?: Resolver<ResolversTypes['User'], ParentType, ContextType, RequireFields<MutationCreateUserArgs, 'input'>>;
  deleteReportSchedule?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType, RequireFields<MutationDeleteReportScheduleArgs, 'id'>>;
  deleteTemplate?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType, RequireFields<MutationDeleteTemplateArgs, 'id'>>;
  exportReport?: Resolver<ResolversTypes['String'], ParentType, ContextType, RequireFields<MutationExportReportArgs, 'format' | 'templateId'>>;
  login?: Resolver<ResolversTypes['AuthPayload'], ParentType, ContextType, RequireFields<MutationLoginArgs, 'password' | 'username'>>;
  registerPersistedOperation?: Resolver<ResolversTypes['PersistedOperation'], ParentType, ContextType, RequireFields<MutationRegisterPersistedOperationArgs, 'document' | 'name'>>;
  revokeApiKey?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType, RequireFields<MutationRevokeApiKeyArgs, 'id'>>;
  revokePersistedOperation?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType, RequireFields<MutationRevokePersistedOperationArgs, 'id'>>;
  revokeSnapshotLink?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType, RequireFields<MutationRevokeSnapshotLinkArgs, 'id'>>;
  runReport?: Resolver<ResolversTypes['ReportRun'], ParentType, ContextType, RequireFields<MutationRunReportArgs, 'templateId'>>;
  scheduleReport?: Resolver<ResolversTypes['ReportSchedule'], ParentType, ContextType, RequireFields<MutationScheduleReportArgs, 'cron' | 'templateId' | 'timezone'>>;
  setSnapshotLinksEnabled?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType, RequireFields<MutationSetSnapshotLinksEnabledArgs, 'enabled'>>;
  updateReportSchedule?: Resolver<ResolversTypes['ReportSchedule'], ParentType, ContextType, RequireFields<MutationUpdateReportScheduleArgs, 'id' | 'input'>>;
  updateTemplate?: Resolver<ResolversTypes['ReportTemplate'], ParentType, ContextType, RequireFields<MutationUpdateTemplateArgs, 'id' | 'input'>>;
  updateUser?: Resolver<ResolversTypes['User'], ParentType, ContextType, RequireFields<MutationUpdateUserArgs, 'id' | 'input'>>;
}>;

export type PersistedOperationResolvers<ContextType = TemplatesContext, ParentType extends ResolversParentTypes['PersistedOperation'] = ResolversParentTypes['PersistedOperation']> = ResolversObject<{
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  document?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  revokedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
}>;

export type QueryResolvers<ContextType = TemplatesContext, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = ResolversObject<{
  apiKeys?: Resolver<Array<ResolversTypes['ApiKey']>, ParentType, ContextType, RequireFields<QueryApiKeysArgs, 'limit' | 'offset'>>;
  me?: Resolver<Maybe<ResolversTypes['User']>, ParentType, ContextType>;
  persistedOperations?: Resolver<Array<ResolversTypes['PersistedOperation']>, ParentType, ContextType, RequireFields<QueryPersistedOperationsArgs, 'limit' | 'offset'>>;
  report?: Resolver<ResolversTypes['Report'], ParentType, ContextType, RequireFields<QueryReportArgs, 'templateId'>>;
  reportSchedules?: Resolver<Array<ResolversTypes['ReportSchedule']>, ParentType, ContextType, RequireFields<QueryReportSchedulesArgs, 'limit' | 'offset'>>;
  snapshotLinks?: Resolver<Array<ResolversTypes['SnapshotLink']>, ParentType, ContextType, RequireFields<QuerySnapshotLinksArgs, 'limit' | 'offset'>>;
  snapshotLinksEnabled?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  template?: Resolver<Maybe<ResolversTypes['ReportTemplate']>, ParentType, ContextType, RequireFields<QueryTemplateArgs, 'id'>>;
  templates?: Resolver<Array<ResolversTypes['ReportTemplate']>, ParentType, ContextType, RequireFields<QueryTemplatesArgs, 'limit' | 'offset'>>;
  users?: Resolver<Array<ResolversTypes['User']>, ParentType, ContextType, RequireFields<QueryUsersArgs, 'limit' | 'offset'>>;
}>;

export type ReportResolvers<ContextType = TemplatesContext, ParentType extends ResolversParentTypes['Report'] = ResolversParentTypes['Report']> = ResolversObject<{
  cached?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  durationMs?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  generatedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  link?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  params?: Resolver<ResolversTypes['JSON'], ParentType, ContextType>;
  sections?: Resolver<ResolversTypes['JSON'], ParentType, ContextType>;
  template?: Resolver<ResolversTypes['ReportTemplate'], ParentType, ContextType>;
}>;

export type ReportDeliveryResolvers<ContextType = TemplatesContext, ParentType extends ResolversParentTypes['ReportDelivery'] = ResolversParentTypes['ReportDelivery']> = ResolversObject<{
  attempts?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  channel?: Resolver<ResolversTypes['DeliveryChannel'], ParentType, ContextType>;
  deliveredAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  lastError?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  log?: Resolver<Array<ResolversTypes['DeliveryAttempt']>, ParentType, ContextType>;
  nextAttemptAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  status?: Resolver<ResolversTypes['DeliveryStatus'], ParentType, ContextType>;
  target?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
}>;

export type ReportRunResolvers<ContextType = TemplatesContext, ParentType extends ResolversParentTypes['ReportRun'] = ResolversParentTypes['ReportRun']> = ResolversObject<{
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  deliveries?: Resolver<Array<ResolversTypes['ReportDelivery']>, ParentType, ContextType>;
  deliveryStatus?: Resolver<ResolversTypes['RunDeliveryStatus'], ParentType, ContextType>;
  durationMs?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  error?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  finishedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  params?: Resolver<ResolversTypes['JSON'], ParentType, ContextType>;
  report?: Resolver<Maybe<ResolversTypes['Report']>, ParentType, ContextType>;
  schedule?: Resolver<Maybe<ResolversTypes['ReportSchedule']>, ParentType, ContextType>;
  scheduledFor?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  status?: Resolver<ResolversTypes['RunStatus'], ParentType, ContextType>;
  template?: Resolver<ResolversTypes['ReportTemplate'], ParentType, ContextType>;
  templateVersion?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export type ReportScheduleResolvers<ContextType = TemplatesContext, ParentType extends ResolversParentTypes['ReportSchedule'] = ResolversParentTypes['ReportSchedule']> = ResolversObject<{
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  cron?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  enabled?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  formats?: Resolver<Array<ResolversTypes['ExportFormat']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  lastRunAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  nextRunAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  params?: Resolver<ResolversTypes['JSON'], ParentType, ContextType>;
  recipients?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  runs?: Resolver<Array<ResolversTypes['ReportRun']>, ParentType, ContextType, RequireFields<ReportScheduleRunsArgs, 'limit'>>;
  template?: Resolver<ResolversTypes['ReportTemplate'], ParentType, ContextType>;
  timezone?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  webhookSecret?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  webhookUrl?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
}>;

export type ReportTemplateResolvers<ContextType = TemplatesContext, ParentType extends ResolversParentTypes['ReportTemplate'] = ResolversParentTypes['ReportTemplate'], FederationReferenceType extends FederationReferenceTypes['ReportTemplate'] = FederationReferenceTypes['ReportTemplate']> = ResolversObject<{
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['ReportTemplate']> | FederationReferenceType, FederationReferenceType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  dataset?: Resolver<ResolversTypes['Dataset'], ParentType, ContextType>;
  description?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  link?: Resolver<ResolversTypes['String'], ParentType, ContextType, Partial<ReportTemplateLinkArgs>>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  owner?: Resolver<Maybe<ResolversTypes['User']>, ParentType, ContextType>;
  parameters?: Resolver<Array<ResolversTypes['TemplateParameter']>, ParentType, ContextType>;
  runs?: Resolver<Array<ResolversTypes['ReportRun']>, ParentType, ContextType, RequireFields<ReportTemplateRunsArgs, 'limit'>>;
  schedules?: Resolver<Array<ResolversTypes['ReportSchedule']>, ParentType, ContextType>;
  sections?: Resolver<Maybe<ResolversTypes['JSON']>, ParentType, ContextType>;
  updatedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  version?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  versions?: Resolver<Array<ResolversTypes['TemplateVersion']>, ParentType, ContextType>;
}>;

export type SnapshotLinkResolvers<ContextType = TemplatesContext, ParentType extends ResolversParentTypes['SnapshotLink'] = ResolversParentTypes['SnapshotLink']> = ResolversObject<{
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  createdBy?: Resolver<Maybe<ResolversTypes['User']>, ParentType, ContextType>;
  expiresAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  params?: Resolver<ResolversTypes['JSON'], ParentType, ContextType>;
  revokedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  template?: Resolver<ResolversTypes['ReportTemplate'], ParentType, ContextType>;
  url?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type TemplateParameterResolvers<ContextType = TemplatesContext, ParentType extends ResolversParentTypes['TemplateParameter'] = ResolversParentTypes['TemplateParameter']> = ResolversObject<{
  default?: Resolver<Maybe<ResolversTypes['JSON']>, ParentType, ContextType>;
  description?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  required?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  type?: Resolver<ResolversTypes['ParameterType'], ParentType, ContextType>;
}>;

export type TemplateVersionResolvers<ContextType = TemplatesContext, ParentType extends ResolversParentTypes['TemplateVersion'] = ResolversParentTypes['TemplateVersion']> = ResolversObject<{
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  createdBy?: Resolver<Maybe<ResolversTypes['User']>, ParentType, ContextType>;
  dataset?: Resolver<ResolversTypes['Dataset'], ParentType, ContextType>;
  description?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  parameters?: Resolver<Array<ResolversTypes['TemplateParameter']>, ParentType, ContextType>;
  sections?: Resolver<Maybe<ResolversTypes['JSON']>, ParentType, ContextType>;
  version?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export type UserResolvers<ContextType = TemplatesContext, ParentType extends ResolversParentTypes['User'] = ResolversParentTypes['User'], FederationReferenceType extends FederationReferenceTypes['User'] = FederationReferenceTypes['User']> = ResolversObject<{
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['User']> | FederationReferenceType, FederationReferenceType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  disabledAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  role?: Resolver<ResolversTypes['Role'], ParentType, ContextType>;
  templates?: Resolver<Array<ResolversTypes['ReportTemplate']>, ParentType, ContextType>;
  username?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type Resolvers<ContextType = TemplatesContext> = ResolversObject<{
  ApiKey?: ApiKeyResolvers<ContextType>;
  AuthPayload?: AuthPayloadResolvers<ContextType>;
  CreateApiKeyPayload?: CreateApiKeyPayloadResolvers<ContextType>;
  Dataset?: DatasetResolvers<ContextType>;
  DateTime?: GraphQLScalarType;
  DeliveryAttempt?: DeliveryAttemptResolvers<ContextType>;
  JSON?: GraphQLScalarType;
  Mutation?: MutationResolvers<ContextType>;
  PersistedOperation?: PersistedOperationResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
  Report?: ReportResolvers<ContextType>;
  ReportDelivery?: ReportDeliveryResolvers<ContextType>;
  ReportRun?: ReportRunResolvers<ContextType>;
  ReportSchedule?: ReportScheduleResolvers<ContextType>;
  ReportTemplate?: ReportTemplateResolvers<ContextType>;
  SnapshotLink?: SnapshotLinkResolvers<ContextType>;
  TemplateParameter?: TemplateParameterResolvers<ContextType>;
  TemplateVersion?: TemplateVersionResolvers<ContextType>;
  User?: UserResolvers<ContextType>;
}>;

