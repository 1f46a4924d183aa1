/**
 * Installing Kafka distributions into kafkit's cache, and finding them again. The runtime needs only
 * `findInstalled` / `installDefault`; `install kafka` uses `installKafka` / `listInstalled`.
 */
export {
  installKafka,
  installDefault,
  validateKafkaVersion,
  type InstallRequest,
  type InstallResult,
} from './install.js'
export {
  listInstalled,
  findInstalled,
  readInstalled,
  installedHome,
  type InstalledDistribution,
  type FindInstalledOptions,
} from './store.js'
export {
  apacheDownloadUrls,
  kafkaArchiveName,
  resolveMirror,
  APACHE_DOWNLOADS_BASE,
  APACHE_ARCHIVE_BASE,
} from './apache.js'
export { parseSha512File, type PublishedChecksum } from './checksum.js'
export { resolveMavenRepository, missingLoggingArtifacts, mavenPom, MAVEN_CENTRAL } from './maven.js'
export { WRAPPERS, loggingBackend } from './launch-scripts.js'
export {
  ensureConnectFiles,
  connectConfigFiles,
  CONNECT_FILE_FALLBACK_VERSION,
  CONNECT_FILE_PLUGIN_DIR,
  type ConnectFiles,
} from './connect-files.js'
export * from './distribution.js'
export * from '../model/versions.js'
