/** The group coordinator of the embedded broker. A stand-in until the coordinator lands: it answers no API. */
import type { BrokerView, GroupCoordinator, GroupCoordinatorOptions } from '../contracts.js'

export function createGroupCoordinator(_broker: BrokerView, _options: GroupCoordinatorOptions): GroupCoordinator {
  return { handlers: [], onTopicDeleted: () => {}, close: async () => {} }
}
