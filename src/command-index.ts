/**
 * Every command, by id: oclif's "explicit" command discovery (package.json oclif.commands) reads this object
 * instead of scanning dist/commands, so the bundle needs no directory of command files.
 * A new command file in src/commands/ must be added here (test/unit/command-index.test.ts fails until it is).
 * Keep command modules light: anything heavy (kafkajs, prompts, execa...) is imported inside run().
 */
import type { Command } from '@oclif/core'
import Acls from './commands/acls.js'
import BrokerApiVersions from './commands/broker-api-versions.js'
import BrokerStart from './commands/broker/start.js'
import BrokerStop from './commands/broker/stop.js'
import ClientMetrics from './commands/client-metrics.js'
import Cluster from './commands/cluster.js'
import CompletionFish from './commands/completion/fish.js'
import Configs from './commands/configs.js'
import ConnectDistributed from './commands/connect-distributed.js'
import ConnectStandalone from './commands/connect-standalone.js'
import ConnectConnectors from './commands/connect/connectors.js'
import ConnectCreate from './commands/connect/create.js'
import ConnectDelete from './commands/connect/delete.js'
import ConnectDescribe from './commands/connect/describe.js'
import ConnectPause from './commands/connect/pause.js'
import ConnectPlugins from './commands/connect/plugins.js'
import ConnectRestart from './commands/connect/restart.js'
import ConnectResume from './commands/connect/resume.js'
import ConnectStatus from './commands/connect/status.js'
import ConnectStop from './commands/connect/stop.js'
import ConnectTasks from './commands/connect/tasks.js'
import ConnectUpdate from './commands/connect/update.js'
import ConnectValidate from './commands/connect/validate.js'
import ConnectOffsetsAlter from './commands/connect/offsets/alter.js'
import ConnectOffsetsGet from './commands/connect/offsets/get.js'
import ConnectOffsetsReset from './commands/connect/offsets/reset.js'
import ConsoleConsumer from './commands/console-consumer.js'
import ConsoleProducer from './commands/console-producer.js'
import ConsoleShareConsumer from './commands/console-share-consumer.js'
import ConsumerGroups from './commands/consumer-groups.js'
import ConsumerPerfTest from './commands/consumer-perf-test.js'
import DelegationTokens from './commands/delegation-tokens.js'
import DeleteRecords from './commands/delete-records.js'
import Doctor from './commands/doctor.js'
import Down from './commands/down.js'
import DumpLog from './commands/dump-log.js'
import E2eLatency from './commands/e2e-latency.js'
import Features from './commands/features.js'
import GetOffsets from './commands/get-offsets.js'
import Groups from './commands/groups.js'
import Help from './commands/help.js'
import InstallKafka from './commands/install/kafka.js'
import KafkaServerStart from './commands/kafka-server-start.js'
import KafkaServerStop from './commands/kafka-server-stop.js'
import Lag from './commands/lag.js'
import LeaderElection from './commands/leader-election.js'
import LogDirs from './commands/log-dirs.js'
import Logs from './commands/logs.js'
import MetadataQuorum from './commands/metadata-quorum.js'
import ProducerPerfTest from './commands/producer-perf-test.js'
import Purge from './commands/purge.js'
import ReassignPartitions from './commands/reassign-partitions.js'
import ReplicaVerification from './commands/replica-verification.js'
import Restart from './commands/restart.js'
import SchemaRegistryCheck from './commands/schema-registry/check.js'
import SchemaRegistryCompatibility from './commands/schema-registry/compatibility.js'
import SchemaRegistryDelete from './commands/schema-registry/delete.js'
import SchemaRegistryGet from './commands/schema-registry/get.js'
import SchemaRegistryRegister from './commands/schema-registry/register.js'
import SchemaRegistrySubjects from './commands/schema-registry/subjects.js'
import SchemaRegistryVersions from './commands/schema-registry/versions.js'
import ShareConsumerPerfTest from './commands/share-consumer-perf-test.js'
import ShareGroups from './commands/share-groups.js'
import ShimsInstall from './commands/shims/install.js'
import ShimsUninstall from './commands/shims/uninstall.js'
import Status from './commands/status.js'
import Storage from './commands/storage.js'
import StreamsApplicationReset from './commands/streams-application-reset.js'
import StreamsGroups from './commands/streams-groups.js'
import Topics from './commands/topics.js'
import Transactions from './commands/transactions.js'
import Up from './commands/up.js'
import VerifiableConsumer from './commands/verifiable-consumer.js'
import VerifiableProducer from './commands/verifiable-producer.js'
import VerifiableShareConsumer from './commands/verifiable-share-consumer.js'
import Version from './commands/version.js'
import ZookeeperServerStart from './commands/zookeeper-server-start.js'
import ZookeeperServerStop from './commands/zookeeper-server-stop.js'

export const COMMANDS = {
  'broker-api-versions': BrokerApiVersions,
  'broker:start': BrokerStart,
  'broker:stop': BrokerStop,
  'client-metrics': ClientMetrics,
  acls: Acls,
  cluster: Cluster,
  'completion:fish': CompletionFish,
  configs: Configs,
  'connect-distributed': ConnectDistributed,
  'connect-standalone': ConnectStandalone,
  'connect:connectors': ConnectConnectors,
  'connect:create': ConnectCreate,
  'connect:delete': ConnectDelete,
  'connect:describe': ConnectDescribe,
  'connect:pause': ConnectPause,
  'connect:plugins': ConnectPlugins,
  'connect:restart': ConnectRestart,
  'connect:resume': ConnectResume,
  'connect:status': ConnectStatus,
  'connect:stop': ConnectStop,
  'connect:tasks': ConnectTasks,
  'connect:update': ConnectUpdate,
  'connect:validate': ConnectValidate,
  'connect:offsets:alter': ConnectOffsetsAlter,
  'connect:offsets:get': ConnectOffsetsGet,
  'connect:offsets:reset': ConnectOffsetsReset,
  'console-consumer': ConsoleConsumer,
  'console-producer': ConsoleProducer,
  'console-share-consumer': ConsoleShareConsumer,
  'consumer-groups': ConsumerGroups,
  'consumer-perf-test': ConsumerPerfTest,
  'delegation-tokens': DelegationTokens,
  'delete-records': DeleteRecords,
  doctor: Doctor,
  down: Down,
  'dump-log': DumpLog,
  'e2e-latency': E2eLatency,
  features: Features,
  'get-offsets': GetOffsets,
  groups: Groups,
  help: Help,
  'install:kafka': InstallKafka,
  'kafka-server-start': KafkaServerStart,
  'kafka-server-stop': KafkaServerStop,
  lag: Lag,
  'leader-election': LeaderElection,
  'log-dirs': LogDirs,
  logs: Logs,
  'metadata-quorum': MetadataQuorum,
  'producer-perf-test': ProducerPerfTest,
  purge: Purge,
  'reassign-partitions': ReassignPartitions,
  'replica-verification': ReplicaVerification,
  restart: Restart,
  'schema-registry:check': SchemaRegistryCheck,
  'schema-registry:compatibility': SchemaRegistryCompatibility,
  'schema-registry:delete': SchemaRegistryDelete,
  'schema-registry:get': SchemaRegistryGet,
  'schema-registry:register': SchemaRegistryRegister,
  'schema-registry:subjects': SchemaRegistrySubjects,
  'schema-registry:versions': SchemaRegistryVersions,
  'share-consumer-perf-test': ShareConsumerPerfTest,
  'share-groups': ShareGroups,
  'shims:install': ShimsInstall,
  'shims:uninstall': ShimsUninstall,
  status: Status,
  'streams-application-reset': StreamsApplicationReset,
  storage: Storage,
  'streams-groups': StreamsGroups,
  topics: Topics,
  transactions: Transactions,
  up: Up,
  'verifiable-consumer': VerifiableConsumer,
  'verifiable-producer': VerifiableProducer,
  'verifiable-share-consumer': VerifiableShareConsumer,
  version: Version,
  'zookeeper-server-start': ZookeeperServerStart,
  'zookeeper-server-stop': ZookeeperServerStop,
} satisfies Record<string, Command.Class>
