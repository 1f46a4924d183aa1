import { Flags } from '@oclif/core'
import { KafkitCommand } from '../base-command.js'
import { connectionFromFlags } from '../connection/settings.js'
import { connectionFlags, optionalDurationFlag } from '../flags.js'
import { aclRequest } from '../acls/options.js'
import type { AclResult } from '../acls/service.js'

const many = (description: string, helpGroup?: string) =>
  Flags.string({ description, multiple: true, multipleNonGreedy: true, ...(helpGroup ? { helpGroup } : {}) })

export default class Acls extends KafkitCommand<typeof Acls> {
  static override aliases = ['kafka-acls', 'kafka-acls.sh']
  static override deprecateAliases = false
  static override summary = 'Add, remove and list ACLs, like kafka-acls.sh --add / --remove / --list.'
  static override description = `Takes kafka-acls.sh's flags (Kafka 4.4) and prints what it prints (for a broker before Kafka 4.0, what 3.9's script prints); the bootstrap server defaults to the running local stack.
The brokers need an authorizer (authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer) and the caller ALTER (or DESCRIBE, to list) on the cluster.
--add creates only the ACLs not there yet and names the others; --remove asks first (y/n, on a terminal) unless --force; without --allow-principal/--deny-principal it removes every ACL of the resource.
Several resources or entries are printed in the order of the flags (the script's order varies from run to run).`
  static override examples = [
    '<%= config.bin %> acls --add --allow-principal User:alice --operation Read --topic orders',
    '<%= config.bin %> acls --add --allow-principal User:alice --producer --topic orders --idempotent',
    '<%= config.bin %> acls --add --allow-principal User:bob --consumer --topic orders --group billing',
    '<%= config.bin %> acls --add --allow-principal User:alice --operation All --topic app. --resource-pattern-type prefixed',
    '<%= config.bin %> acls --list --topic orders',
    '<%= config.bin %> acls --list --principal User:alice',
    '<%= config.bin %> acls --remove --force --allow-principal User:alice --operation Read --topic orders',
    '<%= config.bin %> kafka-acls.sh --bootstrap-server localhost:9092 --list',
  ]

  static override flags = {
    ...connectionFlags,
    add: Flags.boolean({ description: 'Add ACLs.', helpGroup: 'ACTION' }),
    remove: Flags.boolean({ description: 'Remove ACLs (asks first unless --force).', helpGroup: 'ACTION' }),
    list: Flags.boolean({ description: 'List ACLs (of the resources given, else all).', helpGroup: 'ACTION' }),
    topic: many("Topic (repeatable); '*' is every topic.", 'RESOURCE'),
    cluster: Flags.boolean({ description: 'The cluster resource.', helpGroup: 'RESOURCE' }),
    group: many("Consumer group (repeatable); '*' is every group.", 'RESOURCE'),
    'transactional-id': many("Transactional id (repeatable); '*' is every one.", 'RESOURCE'),
    'delegation-token': many("Delegation token id (repeatable); '*' is every token.", 'RESOURCE'),
    'user-principal': many('User principal as a resource (CreateTokens, DescribeTokens), repeatable.', 'RESOURCE'),
    'resource-pattern-type': Flags.string({
      description:
        'literal or prefixed (to add); any (the exact name, any pattern type) or match (every ACL that applies to the name) also to list or remove.',
      default: 'literal',
      helpGroup: 'RESOURCE',
    }),
    operation: many(
      'Operation to allow or deny (repeatable, default All): All, Read, Write, Create, Delete, Alter, Describe, ClusterAction, DescribeConfigs, AlterConfigs, IdempotentWrite, CreateTokens, DescribeTokens, TwoPhaseCommit.',
      'ACL',
    ),
    'allow-principal': many('Principal to allow, Type:name (User:alice; User:* is every user), repeatable.', 'ACL'),
    'deny-principal': many('Principal to deny, Type:name, repeatable. Deny rules win over allow rules.', 'ACL'),
    'allow-host': many("Host the allowed principals may connect from (default '*'), repeatable.", 'ACL'),
    'deny-host': many("Host the denied principals are refused from (default '*'), repeatable.", 'ACL'),
    principal: many('With --list: only the ACLs of this principal (repeatable).', 'ACL'),
    producer: Flags.boolean({
      description: 'Producer ACLs: Write, Describe and Create on the topics (Write, Describe on transactional ids).',
      helpGroup: 'ACL',
    }),
    consumer: Flags.boolean({
      description: 'Consumer ACLs: Read and Describe on the topics, Read on the groups.',
      helpGroup: 'ACL',
    }),
    idempotent: Flags.boolean({ description: 'With --producer: IdempotentWrite on the cluster.', helpGroup: 'ACL' }),
    force: Flags.boolean({ description: 'Remove without asking.' }),
    timeout: optionalDurationFlag('Request timeout', { min: 1 }),
  }

  async run(): Promise<AclResult> {
    const f = this.flags
    const request = aclRequest(f)
    const [service, views, prompt] = await Promise.all([
      import('../acls/service.js'),
      import('../acls/views.js'),
      import('../acls/prompt.js'),
    ])
    const result = await service.runAcls(
      {
        connection: connectionFromFlags(f),
        reporter: this.reporter,
        debug: this.debugEnabled,
        ...(f.timeout ? { requestTimeoutMs: f.timeout } : {}),
        ...(request.action === 'remove' && !request.force ? prompt.aclConfirm() : {}),
      },
      request,
    )
    if (!this.jsonEnabled()) {
      if (result.action === 'add') process.stdout.write(views.renderAdd(result))
      if (result.action === 'list') process.stdout.write(views.renderList(result))
    }
    return result
  }
}
