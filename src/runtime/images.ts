import { UsageError } from '../errors.js'
import {
  capabilities,
  compareVersions,
  DEFAULT_KAFKA_VERSION,
  DEFAULT_ZOOKEEPER_KAFKA_VERSION,
  isValidKafkaVersion,
} from '../model/versions.js'
import type { StackMode } from '../model/plan.js'

/**
 * Every container image the docker runtime runs, pinned in this one place. Never `latest`: a stack must start
 * the same Kafka next month as today, and a tag that moves under a named volume can fail to read its data.
 *
 * KRaft: Apache's own images, tagged with the Kafka version (the default is DEFAULT_KAFKA_VERSION, pinned in
 * install/versions.ts with the distributions). `apache/kafka-native` (GraalVM, sub-second start, far less memory)
 * is opt-in with `--image native`: it is labelled experimental by the Kafka project and not for production.
 *
 * ZooKeeper mode: Apache's images have never supported it, so ZooKeeper stacks run Confluent's community images
 * (cp-zookeeper + cp-kafka), whose Confluent Platform 7.M line carries Apache Kafka 3.M and reads the same
 * KAFKA_* environment convention as apache/kafka. Bitnami's images were the other candidate, but Bitnami moved
 * them to an unmaintained legacy repository in 2025.
 */
const APACHE_KAFKA_IMAGE = 'apache/kafka'
const APACHE_KAFKA_NATIVE_IMAGE = 'apache/kafka-native'
/** The first Kafka releases published as these images (Kafka 3.7 introduced the official image, 3.8 the native one). */
const FIRST_APACHE_IMAGE_VERSION = '3.7.0'
const FIRST_NATIVE_IMAGE_VERSION = '3.8.0'

const CONFLUENT_ZOOKEEPER_IMAGE = 'confluentinc/cp-zookeeper'
const CONFLUENT_KAFKA_IMAGE = 'confluentinc/cp-kafka'
/** Kafka 3.M line → the Confluent Platform tag that carries it (CP 7.M ships Apache Kafka 3.M). */
const CONFLUENT_TAG_FOR_KAFKA_LINE: Readonly<Record<string, string>> = {
  '3.4': '7.4.0',
  '3.5': '7.5.0',
  '3.6': '7.6.0',
  '3.7': '7.7.0',
  '3.8': '7.8.0',
  '3.9': '7.9.0',
}
/** ZooKeeper mode without --version runs the last line that has it. */
const DEFAULT_ZOOKEEPER_MODE_LINE = '3.9'

/** What a docker stack runs: the Kafka version it reports and the image of each kind of container. */
interface StackImages {
  /** The Kafka version recorded for the stack (a release like 4.4.0, or a 3.M line in ZooKeeper mode). */
  version: string
  kafka: string
  zookeeper?: string
  description: string
}

interface ImageRequest {
  mode: StackMode
  version?: string
  /** `--image`: `native`, a repository (apache/kafka, apache/kafka-native: tagged with the version) or repo:tag / repo@digest. */
  image?: string
}

/** Splits an image reference into repository and tag/digest (`host:5000/repo:tag` keeps the registry port). */
export function parseImageRef(ref: string): { repository: string; tag?: string; digest?: string } {
  const at = ref.indexOf('@')
  if (at >= 0) return { repository: ref.slice(0, at), digest: ref.slice(at + 1) }
  const slash = ref.lastIndexOf('/')
  const colon = ref.lastIndexOf(':')
  if (colon > slash) return { repository: ref.slice(0, colon), tag: ref.slice(colon + 1) }
  return { repository: ref }
}

const IMAGE_REF =
  /^[a-z0-9]+(?:[._-][a-z0-9]+)*(?::\d+)?(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*(?::[\w][\w.-]{0,127}|@sha256:[a-f0-9]{64})?$/

/**
 * The images for a new docker stack. Pure, so every combination is unit-tested: unsupported ones (ZooKeeper on
 * a 4.x version, an image older than its first release, an untagged or `latest` reference) are refused before
 * anything is pulled, with the version named.
 */
export function resolveImages(request: ImageRequest): StackImages {
  if (request.version && !isValidKafkaVersion(request.version)) {
    throw new UsageError(
      `Unknown Kafka version "${request.version}": expected a release like ${DEFAULT_ZOOKEEPER_KAFKA_VERSION} or ${DEFAULT_KAFKA_VERSION}.`,
      { code: 'BAD_VERSION' },
    )
  }
  const custom = request.image && request.image !== 'native' ? request.image : undefined
  if (custom) {
    if (!IMAGE_REF.test(custom))
      throw new UsageError(
        `Invalid --image "${custom}": expected an image reference like apache/kafka:${DEFAULT_KAFKA_VERSION}.`,
        { code: 'BAD_IMAGE' },
      )
    if (parseImageRef(custom).tag === 'latest') {
      throw new UsageError("--image must pin a version: `latest` moves, and a stack's named volumes outlive it.", {
        code: 'IMAGE_NOT_PINNED',
        suggestions: [
          `kafkit up --runtime docker --image ${parseImageRef(custom).repository}:${DEFAULT_KAFKA_VERSION}`,
        ],
      })
    }
  }
  return request.mode === 'zookeeper' ? zookeeperImages(request, custom) : kraftImages(request, custom)
}

function kraftImages(request: ImageRequest, custom: string | undefined): StackImages {
  const ref = custom ? parseImageRef(custom) : undefined
  const apacheRepo =
    ref &&
    [
      APACHE_KAFKA_IMAGE,
      APACHE_KAFKA_NATIVE_IMAGE,
      `docker.io/${APACHE_KAFKA_IMAGE}`,
      `docker.io/${APACHE_KAFKA_NATIVE_IMAGE}`,
    ].includes(ref.repository)
  if (ref && !ref.tag && !ref.digest && !apacheRepo) {
    throw new UsageError(
      `--image ${custom} has no tag: pin one (for example ${custom}:${request.version ?? DEFAULT_KAFKA_VERSION}); kafkit never runs \`latest\`.`,
      { code: 'IMAGE_NOT_PINNED' },
    )
  }
  // An Apache image's tag is its Kafka version, so `--image apache/kafka:3.9.1` alone says which Kafka runs.
  const tagVersion = ref?.tag && isValidKafkaVersion(ref.tag) ? ref.tag : undefined
  if (request.version && tagVersion && apacheRepo && request.version !== tagVersion) {
    throw new UsageError(`--version ${request.version} contradicts --image ${custom} (Kafka ${tagVersion}).`, {
      code: 'VERSION_CONFLICT',
    })
  }
  const version = request.version ?? tagVersion ?? DEFAULT_KAFKA_VERSION
  if (!capabilities(version).supportsKraft) {
    throw new UsageError(`Kafka ${version} predates production KRaft (3.3).`, {
      code: 'MODE_UNSUPPORTED',
      suggestions: ['Use --mode zookeeper, or a newer Kafka.'],
    })
  }
  if (custom) {
    const kafka = ref!.tag || ref!.digest ? custom : `${custom}:${version}`
    return {
      version,
      kafka,
      description: `${kafka} (Kafka ${version}${tagVersion || request.version ? '' : ', assumed: pass --version to record the real one'})`,
    }
  }
  const native = request.image === 'native'
  const first = native ? FIRST_NATIVE_IMAGE_VERSION : FIRST_APACHE_IMAGE_VERSION
  const repository = native ? APACHE_KAFKA_NATIVE_IMAGE : APACHE_KAFKA_IMAGE
  if (compareVersions(version, first) < 0) {
    throw new UsageError(`There is no ${repository} image for Kafka ${version}: the first is ${first}.`, {
      code: 'IMAGE_UNAVAILABLE',
      suggestions: [
        `Use --version ${first} or newer, or --runtime dist to run Kafka ${version} from its distribution.`,
      ],
    })
  }
  const kafka = `${repository}:${version}`
  return { version, kafka, description: `${kafka}${native ? ' (GraalVM native image, experimental)' : ''}` }
}

function zookeeperImages(request: ImageRequest, custom: string | undefined): StackImages {
  if (request.image === 'native') {
    throw new UsageError("apache/kafka-native runs KRaft only; ZooKeeper mode uses Confluent's cp-kafka image.", {
      code: 'MODE_UNSUPPORTED',
      suggestions: ['Drop --image native, or use --mode kraft.'],
    })
  }
  const line = request.version ? request.version.split('.').slice(0, 2).join('.') : DEFAULT_ZOOKEEPER_MODE_LINE
  if (request.version && !capabilities(request.version).supportsZooKeeper) {
    throw new UsageError(`Kafka ${request.version} has no ZooKeeper mode: it was removed in Kafka 4.0.`, {
      code: 'MODE_UNSUPPORTED',
      suggestions: [
        `Use --mode kraft, or a 3.x Kafka: kafkit up --runtime docker --mode zookeeper --version ${DEFAULT_ZOOKEEPER_KAFKA_VERSION}`,
      ],
    })
  }
  const tag = CONFLUENT_TAG_FOR_KAFKA_LINE[line]
  if (!tag) {
    throw new UsageError(
      `The docker runtime has no ZooKeeper-mode image for Kafka ${request.version}: it runs the ${Object.keys(CONFLUENT_TAG_FOR_KAFKA_LINE).join(', ')} lines.`,
      {
        code: 'IMAGE_UNAVAILABLE',
        suggestions: [
          `Use --version ${DEFAULT_ZOOKEEPER_MODE_LINE}.x, or --runtime dist --version ${request.version}.`,
        ],
      },
    )
  }
  if (custom && !parseImageRef(custom).tag && !parseImageRef(custom).digest) {
    throw new UsageError(`--image ${custom} has no tag: pin one; kafkit never runs \`latest\`.`, {
      code: 'IMAGE_NOT_PINNED',
    })
  }
  const kafka = custom ?? `${CONFLUENT_KAFKA_IMAGE}:${tag}`
  const zookeeper = `${CONFLUENT_ZOOKEEPER_IMAGE}:${tag}`
  // Confluent's build of a line is its own patch level; the requested version is recorded so a later `up --version` matches.
  const version = request.version ?? line
  return {
    version,
    kafka,
    zookeeper,
    description: `${kafka} + ${zookeeper} (Confluent Platform ${tag}, Apache Kafka ${line} line)`,
  }
}

/** Every image a stack needs, in pull order. */
export function imagesOf(images: Pick<StackImages, 'kafka' | 'zookeeper'>): string[] {
  return [...(images.zookeeper ? [images.zookeeper] : []), images.kafka]
}

/**
 * The images of a docker stack's services (`up --with`), pinned. Connect runs from apache/kafka's own scripts
 * (/opt/kafka/bin/connect-distributed.sh) at the stack's Kafka version, never the native image, which has no Connect.
 * The registry is Apicurio's official image; it brings its own Java, so it is the newest line kafkit knows.
 */
export const SERVICE_IMAGES = {
  connect: (kafkaVersion: string) => `${APACHE_KAFKA_IMAGE}:${kafkaVersion}`,
  'schema-registry': 'apicurio/apicurio-registry:3.3.3',
} as const

/** apache/kafka exists from 3.7.0 on: older stacks cannot run Connect in a container. */
export function connectImageAvailable(kafkaVersion: string): boolean {
  const [major = 0, minor = 0] = kafkaVersion.split('.').map(Number)
  const [fMajor = 0, fMinor = 0] = FIRST_APACHE_IMAGE_VERSION.split('.').map(Number)
  return major > fMajor || (major === fMajor && minor >= fMinor)
}
