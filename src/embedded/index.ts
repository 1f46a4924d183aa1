/**
 * The embedded broker's public API, the package's "./embedded" export (`import { startKafka } from 'kafkit/embedded'`):
 * `const kafka = await startKafka({ port: 0 }); ...; await kafka.stop()`. A broker in the calling process, no child
 * process. `start` and `startBroker` are the same function (the names kafkit's own tests use).
 */
export {
  startBroker as startKafka,
  startBroker as start,
  startBroker,
  type BrokerOptions,
  type RunningBroker,
} from './broker.js'
