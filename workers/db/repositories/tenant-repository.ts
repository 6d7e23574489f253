import type { Db } from "../client";
import { AnnotationRepository } from "./annotation-repository";
import { ApiKeyRepository } from "./api-key-repository";
import { AppRepository } from "./app-repository";
import { ConversationRepository } from "./conversation-repository";
import { FileRepository } from "./file-repository";
import { UsageRepository } from "./usage-repository";
import { DslImportRepository } from "./dsl-import-repository";
import { MemberRepository } from "./member-repository";
import { McpServerRepository } from "./mcp-server-repository";
import { TriggerRepository } from "./trigger-repository";
import { ProviderCredentialRepository } from "./provider-credential-repository";
import { RunRepository } from "./run-repository";
import { SiteRepository } from "./site-repository";
import { StatisticsRepository } from "./statistics-repository";
import { VersionRepository } from "./version-repository";

/**
 * Everything one tenant (workspace) owns. Handlers get an instance already bound to the caller's
 * tenant by the auth middleware, so no handler ever writes a tenant filter itself.
 */
export class TenantRepository {
  readonly apps: AppRepository;
  readonly versions: VersionRepository;
  readonly apiKeys: ApiKeyRepository;
  readonly members: MemberRepository;
  readonly runs: RunRepository;
  readonly conversations: ConversationRepository;
  readonly files: FileRepository;
  readonly usage: UsageRepository;
  readonly dslImports: DslImportRepository;
  readonly providerCredentials: ProviderCredentialRepository;
  readonly mcpServers: McpServerRepository;
  readonly triggers: TriggerRepository;
  readonly annotations: AnnotationRepository;
  readonly sites: SiteRepository;
  readonly statistics: StatisticsRepository;

  constructor(readonly db: Db, readonly tenantId: string) {
    this.apps = new AppRepository(db, tenantId);
    this.versions = new VersionRepository(db, tenantId);
    this.apiKeys = new ApiKeyRepository(db, tenantId);
    this.members = new MemberRepository(db, tenantId);
    this.runs = new RunRepository(db, tenantId);
    this.conversations = new ConversationRepository(db, tenantId);
    this.files = new FileRepository(db, tenantId);
    this.usage = new UsageRepository(db, tenantId);
    this.dslImports = new DslImportRepository(db, tenantId);
    this.providerCredentials = new ProviderCredentialRepository(db, tenantId);
    this.mcpServers = new McpServerRepository(db, tenantId);
    this.triggers = new TriggerRepository(db, tenantId);
    this.annotations = new AnnotationRepository(db, tenantId);
    this.sites = new SiteRepository(db, tenantId);
    this.statistics = new StatisticsRepository(db, tenantId);
  }
}
