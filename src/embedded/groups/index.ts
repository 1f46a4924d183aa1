/**
 * The group coordinator of the embedded broker: FindCoordinator, the classic group APIs, offsets, group admin and the
 * consumer protocol of KIP-848, at every version the codec has. This broker is the coordinator of every group. The
 * rules are in coordinator.ts; this file maps each version's fields to them and back.
 */
import type { BrokerView, GroupCoordinator, GroupCoordinatorOptions, RequestContext } from '../contracts.js'
import { handler } from '../contracts.js'
import { FindCoordinator } from '../../protocol/messages/find-coordinator.js'
import { JoinGroup } from '../../protocol/messages/join-group.js'
import { SyncGroup } from '../../protocol/messages/sync-group.js'
import { Heartbeat } from '../../protocol/messages/heartbeat.js'
import { LeaveGroup } from '../../protocol/messages/leave-group.js'
import { OffsetCommit, type OffsetCommitResponseTopicInput } from '../../protocol/messages/offset-commit.js'
import {
  OffsetFetch,
  type OffsetFetchRequestGroup,
  type OffsetFetchResponseGroupInput,
} from '../../protocol/messages/offset-fetch.js'
import { OffsetDelete } from '../../protocol/messages/offset-delete.js'
import {
  DescribeGroups,
  type DescribeGroupsResponseDescribedGroupInput,
} from '../../protocol/messages/describe-groups.js'
import { ListGroups } from '../../protocol/messages/list-groups.js'
import { DeleteGroups } from '../../protocol/messages/delete-groups.js'
import { ConsumerGroupHeartbeat } from '../../protocol/messages/consumer-group-heartbeat.js'
import {
  ConsumerGroupDescribe,
  type ConsumerGroupDescribeResponseDescribedGroupInput,
} from '../../protocol/messages/consumer-group-describe.js'
import { ZERO_UUID } from '../../protocol/primitives.js'
import { Coordinator, DEFAULT_SETTINGS, clientHostOf, type CoordinatorSettings } from './coordinator.js'
import type { Assignment } from './consumer.js'
import { E } from './errors.js'

export { clientHostOf } from './coordinator.js'

/** The coordinator with what tests need besides the contract. */
export interface EmbeddedGroupCoordinator extends GroupCoordinator {
  /** Fires the timers whose deadline passed on the injected clock (session, rebalance and initial-delay timers). */
  tick(): void
}

export type EmbeddedGroupCoordinatorOptions = GroupCoordinatorOptions & Partial<Omit<CoordinatorSettings, 'now'>>

/** Coordinator key types of FindCoordinator (Kafka's CoordinatorType). */
const KEY_GROUP = 0
const KEY_TRANSACTION = 1
const KEY_SHARE = 2

/**
 * Operations a principal may perform on a group (READ, DELETE, DESCRIBE, DESCRIBE_CONFIGS, ALTER_CONFIGS as
 * AclOperation bits): without an authorizer Kafka reports every one of them.
 */
const GROUP_AUTHORIZED_OPERATIONS = (1 << 3) | (1 << 6) | (1 << 8) | (1 << 10) | (1 << 11)

export function createGroupCoordinator(
  broker: BrokerView,
  options: EmbeddedGroupCoordinatorOptions,
): EmbeddedGroupCoordinator {
  const { dataDir, now = Date.now, ...rest } = options
  const settings: CoordinatorSettings = { ...DEFAULT_SETTINGS, ...rest, now }
  const c = new Coordinator(broker, settings, dataDir)
  const clientId = (ctx: RequestContext): string => ctx.clientId ?? ''

  const findCoordinator = handler(FindCoordinator, (req, ctx) => {
    const v = ctx.apiVersion
    const locate = (
      keyType: number,
    ): { errorCode: number; errorMessage: string | null; nodeId: number; host: string; port: number } => {
      const none = { nodeId: -1, host: '', port: -1 }
      if (keyType === KEY_GROUP)
        return { errorCode: E.NONE, errorMessage: null, nodeId: broker.nodeId, host: broker.host, port: broker.port }
      if (keyType === KEY_TRANSACTION)
        // What Kafka answers while its transaction state topic cannot be created: this broker has no transaction
        // coordinator (transactions are out of scope), and a client gives up after its own timeout.
        return {
          errorCode: E.COORDINATOR_NOT_AVAILABLE,
          errorMessage: 'The embedded broker does not support transactions.',
          ...none,
        }
      // Share groups (KIP-932) are not served: Kafka answers INVALID_REQUEST without a share coordinator.
      if (keyType === KEY_SHARE) return { errorCode: E.INVALID_REQUEST, errorMessage: null, ...none }
      return { errorCode: E.INVALID_REQUEST, errorMessage: `Unknown coordinator type ${keyType}`, ...none }
    }
    if (v < 4) {
      const r = locate(req.keyType)
      // Kafka fills ErrorMessage with Errors.message(), "NONE" on success.
      return { ...r, errorMessage: v >= 1 ? (r.errorMessage ?? (r.errorCode === E.NONE ? 'NONE' : null)) : null }
    }
    return {
      coordinators: req.coordinatorKeys.map((key) => {
        const r = locate(req.keyType)
        return { key, ...r }
      }),
    }
  })

  const joinGroup = handler(JoinGroup, async (req, ctx) => {
    const v = ctx.apiVersion
    const reply = await c.join({
      groupId: req.groupId,
      memberId: req.memberId,
      groupInstanceId: req.groupInstanceId,
      protocolType: req.protocolType,
      protocols: req.protocols.map((p) => ({ name: p.name, metadata: p.metadata })),
      sessionTimeoutMs: req.sessionTimeoutMs,
      // v0 has no rebalance timeout: the session timeout serves as both, as in Kafka.
      rebalanceTimeoutMs: v === 0 || req.rebalanceTimeoutMs < 0 ? req.sessionTimeoutMs : req.rebalanceTimeoutMs,
      requireKnownMemberId: v >= 4,
      supportsSkipAssignment: v >= 9,
      clientId: clientId(ctx),
      clientHost: clientHostOf(ctx.clientAddress),
    })
    return {
      ...reply,
      // Before v7 the protocol name is not nullable and there is no protocol type.
      protocolName: v < 7 ? (reply.protocolName ?? '') : reply.protocolName,
      protocolType: v < 7 ? null : (reply.protocolType ?? null),
      skipAssignment: v >= 9 ? (reply.skipAssignment ?? false) : false,
      members: reply.members.map((m) => ({ ...m, groupInstanceId: v >= 5 ? m.groupInstanceId : null })),
    }
  })

  const syncGroup = handler(SyncGroup, async (req, ctx) => {
    const reply = await c.sync({
      groupId: req.groupId,
      generationId: req.generationId,
      memberId: req.memberId,
      groupInstanceId: req.groupInstanceId,
      protocolType: ctx.apiVersion >= 5 ? req.protocolType : null,
      protocolName: ctx.apiVersion >= 5 ? req.protocolName : null,
      assignments: req.assignments,
    })
    return ctx.apiVersion >= 5 ? reply : { errorCode: reply.errorCode, assignment: reply.assignment }
  })

  const heartbeat = handler(Heartbeat, (req) => ({ errorCode: c.heartbeat(req) }))

  const leaveGroup = handler(LeaveGroup, (req, ctx) => {
    const v = ctx.apiVersion
    if (v < 3) {
      const r = c.leave(req.groupId, [{ memberId: req.memberId, groupInstanceId: null }])
      return { errorCode: r.errorCode !== E.NONE ? r.errorCode : (r.members[0]?.errorCode ?? E.NONE) }
    }
    const r = c.leave(
      req.groupId,
      req.members.map((m) => ({ memberId: m.memberId, groupInstanceId: m.groupInstanceId })),
    )
    return { errorCode: r.errorCode, members: r.members }
  })

  const offsetCommit = handler(OffsetCommit, (req, ctx) => {
    const v = ctx.apiVersion
    const byId = v >= 10
    const groupError = c.validateCommit({
      groupId: req.groupId,
      memberId: req.memberId,
      groupInstanceId: req.groupInstanceId,
      generationIdOrMemberEpoch: req.generationIdOrMemberEpoch,
      apiVersion: v,
    })
    const topics: OffsetCommitResponseTopicInput[] = req.topics.map((t) => {
      const name = byId ? broker.topicById(t.topicId)?.name : t.name
      return {
        ...(byId ? { topicId: t.topicId } : { name: t.name }),
        partitions: t.partitions.map((p) => ({
          partitionIndex: p.partitionIndex,
          errorCode:
            groupError ??
            (name === undefined
              ? E.UNKNOWN_TOPIC_ID
              : c.commit(
                  req.groupId,
                  name,
                  p.partitionIndex,
                  p.committedOffset,
                  p.committedLeaderEpoch,
                  p.committedMetadata,
                )),
        })),
      }
    })
    return { topics }
  })

  const fetchGroup = (group: OffsetFetchRequestGroup, byId: boolean): OffsetFetchResponseGroupInput => {
    const error = c.validateFetch(group.groupId, group.memberId, group.memberEpoch)
    if (error !== E.NONE) return { groupId: group.groupId, errorCode: error, topics: [] }
    const committed = c.committed(group.groupId)
    const partition = (topic: string | undefined, p: number) => {
      const o = topic === undefined ? undefined : committed.get(topic)?.get(p)
      return o
        ? {
            partitionIndex: p,
            committedOffset: o.offset,
            committedLeaderEpoch: o.leaderEpoch,
            metadata: o.metadata ?? '',
            errorCode: 0,
          }
        : { partitionIndex: p, committedOffset: -1n, committedLeaderEpoch: -1, metadata: '', errorCode: 0 }
    }
    const topicRef = (name: string | undefined, topicId: string) => (byId ? { topicId } : { name: name ?? '' })
    if (group.topics === null) {
      const topics = [...committed].flatMap(([name, partitions]) => {
        const topicId = broker.topic(name)?.topicId
        if (byId && topicId === undefined) return []
        return [
          {
            ...topicRef(name, topicId ?? ZERO_UUID),
            partitions: [...partitions.keys()].sort((a, b) => a - b).map((p) => partition(name, p)),
          },
        ]
      })
      return { groupId: group.groupId, topics, errorCode: 0 }
    }
    return {
      groupId: group.groupId,
      errorCode: 0,
      topics: group.topics.map((t) => {
        const name = byId ? broker.topicById(t.topicId)?.name : t.name
        return {
          ...topicRef(name, t.topicId),
          partitions: t.partitionIndexes.map((p) =>
            name === undefined && byId
              ? {
                  partitionIndex: p,
                  committedOffset: -1n,
                  committedLeaderEpoch: -1,
                  metadata: '',
                  errorCode: E.UNKNOWN_TOPIC_ID,
                }
              : partition(name, p),
          ),
        }
      }),
    }
  }

  // requireStable is moot: without transactions no offset is ever pending.
  const offsetFetch = handler(OffsetFetch, (req, ctx) => {
    const v = ctx.apiVersion
    if (v >= 8) return { groups: req.groups.map((g) => fetchGroup(g, v >= 10)) }
    const r = fetchGroup(
      {
        groupId: req.groupId,
        memberId: null,
        memberEpoch: -1,
        topics:
          req.topics === null
            ? null
            : req.topics.map((t) => ({ name: t.name, topicId: ZERO_UUID, partitionIndexes: t.partitionIndexes })),
      },
      false,
    )
    return {
      errorCode: v >= 2 ? (r.errorCode ?? 0) : 0,
      topics: (r.topics ?? []).map((t) => ({
        name: t.name ?? '',
        partitions: (t.partitions ?? []).map((p) => ({
          ...p,
          committedLeaderEpoch: v >= 5 ? p.committedLeaderEpoch : -1,
        })),
      })),
    }
  })

  const offsetDelete = handler(OffsetDelete, (req) => {
    const r = c.deleteOffsets(
      req.groupId,
      req.topics.map((t) => ({ name: t.name, partitions: t.partitions.map((p) => p.partitionIndex) })),
    )
    if (typeof r === 'number') return { errorCode: r, throttleTimeMs: 0, topics: [] }
    return {
      errorCode: 0,
      throttleTimeMs: 0,
      topics: [...r].map(([name, errors]) => ({
        name,
        partitions: [...errors].map(([partitionIndex, errorCode]) => ({ partitionIndex, errorCode })),
      })),
    }
  })

  const describeGroups = handler(DescribeGroups, (req, ctx) => {
    const v = ctx.apiVersion
    const ops = v >= 3 && req.includeAuthorizedOperations ? GROUP_AUTHORIZED_OPERATIONS : -2147483648
    return {
      groups: req.groups.map((groupId): DescribeGroupsResponseDescribedGroupInput => {
        const group = c.groups.get(groupId)
        if (!group || group.type !== 'classic') {
          // v6 (KIP-1043) says why there is nothing to describe; older versions only answer Dead.
          const message = group ? `Group ${groupId} is not a classic group.` : `Group ${groupId} not found.`
          return {
            groupId,
            errorCode: v >= 6 ? E.GROUP_ID_NOT_FOUND : E.NONE,
            errorMessage: v >= 6 ? message : null,
            groupState: 'Dead',
            protocolType: '',
            protocolData: '',
            members: [],
            authorizedOperations: ops,
          }
        }
        const stable = group.state === 'Stable'
        return {
          groupId,
          errorCode: E.NONE,
          groupState: group.state,
          protocolType: group.protocolType ?? '',
          protocolData: stable ? (group.protocolName ?? '') : '',
          members: [...group.members.values()].map((m) => ({
            memberId: m.memberId,
            groupInstanceId: v >= 4 ? m.groupInstanceId : null,
            clientId: m.clientId,
            clientHost: m.clientHost,
            // Only a stable group shows its members' metadata and assignment (Kafka's describeNoMetadata otherwise).
            memberMetadata: stable ? m.metadata(group.protocolName) : Buffer.alloc(0),
            memberAssignment: stable ? m.assignment : Buffer.alloc(0),
          })),
          authorizedOperations: ops,
        }
      }),
    }
  })

  const listGroups = handler(ListGroups, (req, ctx) => {
    const v = ctx.apiVersion
    const states = new Set((v >= 4 ? req.statesFilter : []).map((s) => s.trim().toLowerCase()))
    const types = new Set((v >= 5 ? req.typesFilter : []).map((s) => s.trim().toLowerCase()))
    const groups = [...c.groups.values()].flatMap((g) => {
      const state = g.state
      if (states.size && !states.has(state.toLowerCase())) return []
      if (types.size && !types.has(g.type)) return []
      return [
        {
          groupId: g.groupId,
          protocolType: g.type === 'classic' ? (g.protocolType ?? '') : 'consumer',
          groupState: v >= 4 ? state : '',
          groupType: v >= 5 ? g.type : '',
        },
      ]
    })
    return { errorCode: 0, groups }
  })

  const deleteGroups = handler(DeleteGroups, (req) => ({
    throttleTimeMs: 0,
    results: req.groupsNames.map((groupId) => ({ groupId, errorCode: c.deleteGroup(groupId) })),
  }))

  const consumerGroupHeartbeat = handler(ConsumerGroupHeartbeat, (req, ctx) => {
    const r = c.consumerHeartbeat(
      {
        groupId: req.groupId,
        memberId: req.memberId,
        memberEpoch: req.memberEpoch,
        instanceId: req.instanceId,
        rackId: req.rackId,
        rebalanceTimeoutMs: req.rebalanceTimeoutMs,
        subscribedTopicNames: req.subscribedTopicNames,
        subscribedTopicRegex: ctx.apiVersion >= 1 ? req.subscribedTopicRegex : null,
        serverAssignor: req.serverAssignor,
        topicPartitions: req.topicPartitions,
        clientId: clientId(ctx),
        clientHost: clientHostOf(ctx.clientAddress),
      },
      ctx.apiVersion,
    )
    return { throttleTimeMs: 0, ...r }
  })

  const consumerGroupDescribe = handler(ConsumerGroupDescribe, (req) => {
    const describe = (a: Assignment) => ({
      topicPartitions: [...a].map(([topicId, ps]) => ({
        topicId,
        topicName: broker.topicById(topicId)?.name ?? '',
        partitions: [...ps].sort((x, y) => x - y),
      })),
    })
    return {
      throttleTimeMs: 0,
      groups: req.groupIds.map((groupId): ConsumerGroupDescribeResponseDescribedGroupInput => {
        const group = c.groups.get(groupId)
        if (!group || group.type !== 'consumer')
          return {
            groupId,
            errorCode: E.GROUP_ID_NOT_FOUND,
            errorMessage: group ? `Group ${groupId} is not a consumer group.` : `Group ${groupId} not found.`,
            groupState: 'Dead',
            groupEpoch: -1,
            assignmentEpoch: -1,
            assignorName: '',
            members: [],
            authorizedOperations: req.includeAuthorizedOperations ? GROUP_AUTHORIZED_OPERATIONS : -2147483648,
          }
        const assignor = [...group.members.values()].find((m) => m.serverAssignor !== null)?.serverAssignor ?? 'uniform'
        return {
          groupId,
          errorCode: E.NONE,
          groupState: group.state,
          groupEpoch: group.groupEpoch,
          assignmentEpoch: group.assignmentEpoch,
          assignorName: assignor,
          members: [...group.members.values()].map((m) => ({
            memberId: m.memberId,
            instanceId: m.instanceId,
            rackId: m.rackId,
            memberEpoch: m.memberEpoch,
            clientId: m.clientId,
            clientHost: m.clientHost,
            subscribedTopicNames: m.subscribedTopicNames,
            subscribedTopicRegex: m.subscribedTopicRegex,
            assignment: describe(m.assigned),
            targetAssignment: describe(group.target.get(m.memberId) ?? new Map()),
            memberType: 1,
          })),
          authorizedOperations: req.includeAuthorizedOperations ? GROUP_AUTHORIZED_OPERATIONS : -2147483648,
        }
      }),
    }
  })

  return {
    handlers: [
      findCoordinator,
      joinGroup,
      syncGroup,
      heartbeat,
      leaveGroup,
      offsetCommit,
      offsetFetch,
      offsetDelete,
      describeGroups,
      listGroups,
      deleteGroups,
      consumerGroupHeartbeat,
      consumerGroupDescribe,
    ],
    onTopicDeleted: (topic) => c.onTopicDeleted(topic),
    tick: () => c.tick(),
    close: async () => c.close(),
  }
}
