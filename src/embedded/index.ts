/** The embedded broker's public API: `const kafka = await start({ port: 0 }); ...; await kafka.close()`. */
export {
  startBroker,
  startBroker as start,
  startBroker as startKafka,
  type BrokerOptions,
  type RunningBroker,
} from './broker.js'
