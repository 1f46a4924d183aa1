/**
 * The embedded broker's group coordinator, driven through its handlers with requests and responses that go through
 * the generated codec at the version under test (so a field a version lacks shows up as an encoding error), an
 * injected clock and timers fired by tick().
 */
import assert from 'node:assert/strict'
import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { Reader, Writer } from '../../src/protocol/primitives.js'
import type { AnyApi, RequestInputOf, ResponseOf } from '../../src/protocol/api.js'
import { NO_RESPONSE, type BrokerView, type TopicInfo } from '../../src/embedded/contracts.js'
import { createGroupCoordinator, clientHostOf, type EmbeddedGroupCoordinator } from '../../src/embedded/groups/index.js'
import { FindCoordinator } from '../../src/protocol/messages/find-coordinator.js'
import { JoinGroup, type JoinGroupResponse } from '../../src/protocol/messages/join-group.js'
import { SyncGroup } from '../../src/protocol/messages/sync-group.js'
import { Heartbeat } from '../../src/protocol/messages/heartbeat.js'
import { LeaveGroup } from '../../src/protocol/messages/leave-group.js'
import { OffsetCommit } from '../../src/protocol/messages/offset-commit.js'
import { OffsetFetch } from '../../src/protocol/messages/offset-fetch.js'
import { OffsetDelete } from '../../src/protocol/messages/offset-delete.js'
import { DescribeGroups } from '../../src/protocol/messages/describe-groups.js'
import { ListGroups } from '../../src/protocol/messages/list-groups.js'
import { DeleteGroups } from '../../src/protocol/messages/delete-groups.js'
import { ConsumerGroupHeartbeat } from '../../src/protocol/messages/consumer-group-heartbeat.js'
import { ConsumerGroupDescribe } from '../../src/protocol/messages/consumer-group-describe.js'
import { ConsumerProtocolSubscriptionCodec } from '../../src/protocol/messages/consumer-protocol-subscription.js'

const dirs: string[] = []
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'kafkit-groups-'))
  dirs.push(d)
  return d
}

const TOPICS: TopicInfo[] = [
  { name: 'orders', topicId: 'b3JkZXJzb3JkZXJzb3JkZQ', partitions: 3, configs: {} },
  { name: 'events', topicId: 'ZXZlbnRzZXZlbnRzZXZlbg', partitions: 2, configs: {} },
]

function brokerView(topics = TOPICS): BrokerView {
  return {
    nodeId: 1,
    host: 'localhost',
    port: 9092,
    clusterId: 'test-cluster',
    topics: () => topics,
    topic: (name) => topics.find((t) => t.name === name),
    topicById: (id) => topics.find((t) => t.topicId === id),
  }
}

/** A coordinator on a fake clock; `call` encodes the request and the response at `version`, as the server does. */
function setup(dataDir = tempDir(), topics = TOPICS) {
  const clock = { t: 1_700_000_000_000 }
  const coordinator: EmbeddedGroupCoordinator = createGroupCoordinator(brokerView(topics), {
    dataDir,
    now: () => clock.t,
    automaticTimers: false,
  })
  async function call<A extends AnyApi>(
    api: A,
    version: number,
    request: RequestInputOf<A>,
    clientId = 'client',
  ): Promise<ResponseOf<A>> {
    const entry = coordinator.handlers.find((h) => h.api === api)
    assert.ok(entry, `no handler for ${api.name}`)
    const w = new Writer()
    api.writeRequest(w, version, request)
    const decoded = api.readRequest(new Reader(w.finish()), version)
    const response = await entry.handle(decoded, {
      apiVersion: version,
      clientId,
      clientAddress: '127.0.0.1:50123',
      connectionId: 1,
    })
    assert.notEqual(response, NO_RESPONSE)
    const out = new Writer()
    api.writeResponse(out, version, response)
    return api.readResponse(new Reader(out.finish()), version) as ResponseOf<A>
  }
  /** Starts a request that parks (JoinGroup, SyncGroup) without awaiting it. */
  function start<A extends AnyApi>(api: A, version: number, request: RequestInputOf<A>): Promise<ResponseOf<A>> {
    return call(api, version, request)
  }
  const advance = (ms: number): void => {
    clock.t += ms
    coordinator.tick()
  }
  return { coordinator, call, start, advance, clock, dataDir }
}

function subscription(...topics: string[]): Buffer {
  const w = new Writer()
  w.int16(1)
  ConsumerProtocolSubscriptionCodec.write(w, 1, { topics })
  return w.finish()
}

const join1 = (memberId: string, protocols = [{ name: 'range', metadata: subscription('orders') }]) => ({
  groupId: 'g1',
  sessionTimeoutMs: 10_000,
  rebalanceTimeoutMs: 30_000,
  memberId,
  protocolType: 'consumer',
  protocols,
})

/** Resolves when the promise settled (timers and handlers only use microtasks). */
async function settled<T>(p: Promise<T>): Promise<boolean> {
  let done = false
  void p.then(() => (done = true))
  await new Promise((r) => setImmediate(r))
  return done
}

/** Joins one member through MEMBER_ID_REQUIRED and the first rebalance: returns its member id (generation 1). */
async function firstMember(ctx: ReturnType<typeof setup>, version = 5): Promise<string> {
  const first = await ctx.call(JoinGroup, version, join1(''))
  assert.equal(first.errorCode, 79) // MEMBER_ID_REQUIRED
  assert.match(first.memberId, /^client-[0-9a-f-]{36}$/)
  const parked = ctx.start(JoinGroup, version, join1(first.memberId))
  // The first rebalance of a new group completes on the initial-delay timer (0 ms, as kafkit's stacks set it).
  assert.equal(await settled(parked), false)
  ctx.advance(0)
  const joined = await parked
  assert.equal(joined.errorCode, 0)
  assert.equal(joined.generationId, 1)
  assert.equal(joined.leader, first.memberId)
  assert.equal(joined.protocolName, 'range')
  assert.equal(joined.members.length, 1)
  const synced = await ctx.call(SyncGroup, version, {
    groupId: 'g1',
    generationId: 1,
    memberId: first.memberId,
    assignments: [{ memberId: first.memberId, assignment: Buffer.from('A1') }],
  })
  assert.equal(synced.errorCode, 0)
  assert.deepEqual(synced.assignment, Buffer.from('A1'))
  return first.memberId
}

describe('embedded group coordinator: FindCoordinator', () => {
  it('answers this broker for groups at every version, batched from v4', async () => {
    const { call } = setup()
    for (let v = 0; v <= 3; v++) {
      const r = await call(FindCoordinator, v, { key: 'g1', ...(v >= 1 ? { keyType: 0 } : {}) })
      assert.equal(r.errorCode, 0, `v${v}`)
      assert.deepEqual([r.nodeId, r.host, r.port], [1, 'localhost', 9092])
      if (v >= 1) assert.equal(r.errorMessage, 'NONE')
    }
    for (let v = 4; v <= FindCoordinator.maxVersion; v++) {
      const r = await call(FindCoordinator, v, { keyType: 0, coordinatorKeys: ['a', 'b'] })
      assert.deepEqual(
        r.coordinators.map((c) => [c.key, c.nodeId, c.port, c.errorCode]),
        [
          ['a', 1, 9092, 0],
          ['b', 1, 9092, 0],
        ],
      )
    }
  })

  it('has no transaction coordinator (COORDINATOR_NOT_AVAILABLE, as Kafka without its transaction log)', async () => {
    const { call } = setup()
    const r = await call(FindCoordinator, 4, { keyType: 1, coordinatorKeys: ['tx'] })
    assert.equal(r.coordinators[0]!.errorCode, 15)
    assert.equal(r.coordinators[0]!.nodeId, -1)
    const old = await call(FindCoordinator, 2, { key: 'tx', keyType: 1 })
    assert.equal(old.errorCode, 15)
  })
})

describe('embedded group coordinator: classic protocol', () => {
  it('two members: MEMBER_ID_REQUIRED, rebalance, leader assignment, heartbeats', async () => {
    const ctx = setup()
    const m1 = await firstMember(ctx)
    assert.equal((await ctx.call(Heartbeat, 3, { groupId: 'g1', generationId: 1, memberId: m1 })).errorCode, 0)

    const second = await ctx.call(JoinGroup, 5, join1(''))
    assert.equal(second.errorCode, 79)
    const m2 = second.memberId
    const m2Join = ctx.start(JoinGroup, 5, join1(m2))
    assert.equal(await settled(m2Join), false, 'parked until the leader rejoins')
    // The old member learns of the rebalance from its heartbeat.
    assert.equal((await ctx.call(Heartbeat, 3, { groupId: 'g1', generationId: 1, memberId: m1 })).errorCode, 27)
    const m1Join = await ctx.call(JoinGroup, 5, join1(m1))
    const m2Joined = await m2Join
    assert.equal(m1Join.generationId, 2)
    assert.equal(m2Joined.generationId, 2)
    assert.equal(m1Join.leader, m1)
    assert.equal(m1Join.members.length, 2, 'the leader gets every member')
    assert.equal(m2Joined.members.length, 0)

    const followerSync = ctx.start(SyncGroup, 5, {
      groupId: 'g1',
      generationId: 2,
      memberId: m2,
      protocolType: 'consumer',
      protocolName: 'range',
      assignments: [],
    })
    assert.equal(await settled(followerSync), false, 'a follower waits for the leader')
    assert.equal((await ctx.call(Heartbeat, 4, { groupId: 'g1', generationId: 2, memberId: m2 })).errorCode, 0)
    const leaderSync = await ctx.call(SyncGroup, 5, {
      groupId: 'g1',
      generationId: 2,
      memberId: m1,
      protocolType: 'consumer',
      protocolName: 'range',
      assignments: [
        { memberId: m1, assignment: Buffer.from('one') },
        { memberId: m2, assignment: Buffer.from('two') },
      ],
    })
    assert.deepEqual(leaderSync.assignment, Buffer.from('one'))
    assert.equal(leaderSync.protocolName, 'range')
    const follower = await followerSync
    assert.deepEqual(follower.assignment, Buffer.from('two'))

    const described = await ctx.call(DescribeGroups, 5, { groups: ['g1'], includeAuthorizedOperations: true })
    const g = described.groups[0]!
    assert.equal(g.groupState, 'Stable')
    assert.equal(g.protocolData, 'range')
    assert.equal(g.members.length, 2)
    assert.equal(g.members[0]!.clientHost, '/127.0.0.1')
    assert.deepEqual(g.members.find((m) => m.memberId === m2)!.memberAssignment, Buffer.from('two'))
    assert.deepEqual(g.members[0]!.memberMetadata, subscription('orders'))

    // Generation checks.
    assert.equal((await ctx.call(Heartbeat, 3, { groupId: 'g1', generationId: 1, memberId: m1 })).errorCode, 22)
    assert.equal((await ctx.call(Heartbeat, 3, { groupId: 'g1', generationId: 2, memberId: 'nobody' })).errorCode, 25)
    assert.equal((await ctx.call(Heartbeat, 3, { groupId: 'nogroup', generationId: 2, memberId: m1 })).errorCode, 25)
    const badSync = await ctx.call(SyncGroup, 5, {
      groupId: 'g1',
      generationId: 2,
      memberId: m1,
      protocolType: 'consumer',
      protocolName: 'roundrobin',
      assignments: [],
    })
    assert.equal(badSync.errorCode, 23, 'SyncGroup v5 checks the protocol name')

    // LeaveGroup v3+ is batched; the group rebalances without the leaver.
    const left = await ctx.call(LeaveGroup, 3, { groupId: 'g1', members: [{ memberId: m2 }, { memberId: 'ghost' }] })
    assert.deepEqual(
      left.members.map((m) => m.errorCode),
      [0, 25],
    )
    const rejoin = await ctx.call(JoinGroup, 5, join1(m1))
    assert.equal(rejoin.generationId, 3)
    assert.equal(rejoin.members.length, 1)
  })

  it('selects the protocol every member supports, by votes; refuses a member with none in common', async () => {
    const ctx = setup()
    const both = [
      { name: 'cooperative-sticky', metadata: subscription('orders') },
      { name: 'range', metadata: subscription('orders') },
    ]
    const parked = ctx.start(JoinGroup, 3, join1('', both)) // v3: no MEMBER_ID_REQUIRED
    ctx.advance(0)
    const first = await parked
    assert.equal(first.errorCode, 0)
    const m1 = first.memberId
    assert.equal(first.protocolName, 'cooperative-sticky')
    await ctx.call(SyncGroup, 3, { groupId: 'g1', generationId: 1, memberId: m1, assignments: [] })
    const second = await ctx.call(JoinGroup, 7, join1('', [{ name: 'range', metadata: subscription('orders') }]))
    assert.equal(second.errorCode, 79)
    const m2Join = ctx.start(
      JoinGroup,
      7,
      join1(second.memberId, [{ name: 'range', metadata: subscription('orders') }]),
    )
    const m1Join = await ctx.call(JoinGroup, 3, join1(m1, both))
    assert.equal(m1Join.protocolName, 'range', 'the only protocol both support')
    assert.equal((await m2Join).protocolName, 'range')
    const bad = await ctx.call(JoinGroup, 7, join1('', [{ name: 'roundrobin', metadata: Buffer.alloc(0) }]))
    assert.equal(bad.errorCode, 23)
    assert.equal(bad.protocolType, null)
  })

  it('expires a member whose session times out (injected clock) and rebalances without it', async () => {
    const ctx = setup()
    const m1 = await firstMember(ctx)
    const second = await ctx.call(JoinGroup, 5, join1(''))
    const m2Join = ctx.start(JoinGroup, 5, join1(second.memberId))
    await ctx.call(JoinGroup, 5, join1(m1))
    await m2Join
    await ctx.call(SyncGroup, 5, { groupId: 'g1', generationId: 2, memberId: m1, assignments: [] })
    await ctx.call(SyncGroup, 5, { groupId: 'g1', generationId: 2, memberId: second.memberId, assignments: [] })
    // m1 keeps heartbeating, m2 goes silent for longer than its 10 s session.
    for (let i = 0; i < 4; i++) {
      ctx.advance(3_000)
      assert.equal(
        (await ctx.call(Heartbeat, 4, { groupId: 'g1', generationId: 2, memberId: m1 })).errorCode,
        i < 3 ? 0 : 27,
      )
    }
    const m1Rejoin = await ctx.call(JoinGroup, 5, join1(m1))
    assert.equal(m1Rejoin.generationId, 3)
    assert.deepEqual(
      m1Rejoin.members.map((m) => m.memberId),
      [m1],
    )
    // A member that never rejoins within the rebalance timeout is dropped too: the group ends Empty.
    await ctx.call(SyncGroup, 5, { groupId: 'g1', generationId: 3, memberId: m1, assignments: [] })
    ctx.advance(11_000)
    const list = await ctx.call(ListGroups, 4, { statesFilter: ['empty'] })
    assert.deepEqual(
      list.groups.map((g) => g.groupId),
      ['g1'],
    )
  })

  it('static members: rejoin with a new member id fences the old one; unknown instance is refused', async () => {
    const ctx = setup()
    const staticJoin = (memberId: string) => ({ ...join1(memberId), groupInstanceId: 'instance-1' })
    const first = ctx.start(JoinGroup, 5, staticJoin(''))
    ctx.advance(0)
    const a = await first
    assert.equal(a.errorCode, 0, 'static members need no MEMBER_ID_REQUIRED round')
    assert.match(a.memberId, /^instance-1-/)
    await ctx.call(SyncGroup, 5, {
      groupId: 'g1',
      generationId: 1,
      memberId: a.memberId,
      groupInstanceId: 'instance-1',
      assignments: [],
    })
    const b = await ctx.call(JoinGroup, 5, staticJoin(''))
    assert.equal(b.errorCode, 0)
    assert.notEqual(b.memberId, a.memberId)
    assert.equal(b.generationId, 1, 'same protocol: no rebalance')
    const old = await ctx.call(Heartbeat, 3, {
      groupId: 'g1',
      generationId: 1,
      memberId: a.memberId,
      groupInstanceId: 'instance-1',
    })
    assert.equal(old.errorCode, 82) // FENCED_INSTANCE_ID
    const removed = await ctx.call(LeaveGroup, 4, {
      groupId: 'g1',
      members: [{ memberId: '', groupInstanceId: 'instance-1' }],
    })
    assert.equal(removed.members[0]!.errorCode, 0)
  })

  it('answers JoinGroup, SyncGroup, Heartbeat and LeaveGroup at every version', async () => {
    for (let v = JoinGroup.minVersion; v <= JoinGroup.maxVersion; v++) {
      const ctx = setup()
      let memberId = ''
      let r: JoinGroupResponse
      if (v >= 4) {
        r = await ctx.call(JoinGroup, v, join1(''))
        assert.equal(r.errorCode, 79, `v${v}`)
        memberId = r.memberId
      }
      const parked = ctx.start(JoinGroup, v, join1(memberId))
      ctx.advance(0)
      r = await parked
      assert.equal(r.errorCode, 0, `JoinGroup v${v}`)
      if (v >= 7) assert.equal(r.protocolType, 'consumer')
      const syncV = Math.min(v, SyncGroup.maxVersion)
      const s = await ctx.call(SyncGroup, syncV, {
        groupId: 'g1',
        generationId: 1,
        memberId: r.memberId,
        assignments: [],
      })
      assert.equal(s.errorCode, 0, `SyncGroup v${syncV}`)
      const hbV = Math.min(v, Heartbeat.maxVersion)
      assert.equal(
        (await ctx.call(Heartbeat, hbV, { groupId: 'g1', generationId: 1, memberId: r.memberId })).errorCode,
        0,
      )
      const leaveV = Math.min(v, LeaveGroup.maxVersion)
      const left = await ctx.call(
        LeaveGroup,
        leaveV,
        leaveV >= 3 ? { groupId: 'g1', members: [{ memberId: r.memberId }] } : { groupId: 'g1', memberId: r.memberId },
      )
      assert.equal(left.errorCode, 0, `LeaveGroup v${leaveV}`)
      const d = await ctx.call(DescribeGroups, Math.min(v, DescribeGroups.maxVersion), { groups: ['g1'] })
      assert.equal(d.groups[0]!.groupState, 'Empty')
    }
  })
})

describe('embedded group coordinator: offsets', () => {
  it('checks the generation of member commits and lets admin commits into empty groups only', async () => {
    const ctx = setup()
    const m1 = await firstMember(ctx)
    const commit = (
      generationIdOrMemberEpoch: number,
      memberId: string,
      offset = 5n,
      topic = 'orders',
      partitionIndex = 0,
    ) =>
      ctx.call(OffsetCommit, 8, {
        groupId: 'g1',
        generationIdOrMemberEpoch,
        memberId,
        topics: [{ name: topic, partitions: [{ partitionIndex, committedOffset: offset, committedMetadata: 'm' }] }],
      })
    const code = async (p: ReturnType<typeof commit>) => (await p).topics[0]!.partitions[0]!.errorCode
    assert.equal(await code(commit(1, m1)), 0)
    assert.equal(await code(commit(0, m1)), 22) // ILLEGAL_GENERATION
    assert.equal(await code(commit(1, 'stranger')), 25) // UNKNOWN_MEMBER_ID
    assert.equal(await code(commit(-1, '')), 25, 'an admin commit into a live group is refused')
    assert.equal(await code(commit(1, m1, 1n, 'nope')), 3)
    assert.equal(await code(commit(1, m1, 1n, 'orders', 9)), 3)

    await ctx.call(LeaveGroup, 4, { groupId: 'g1', members: [{ memberId: m1 }] })
    assert.equal(await code(commit(-1, '', 2n)), 0, 'kafka-consumer-groups --reset-offsets on an empty group')
    // An unknown group gets a simple group from an admin commit; a member commit to it is refused.
    const unknown = await ctx.call(OffsetCommit, 9, {
      groupId: 'fresh',
      generationIdOrMemberEpoch: 3,
      memberId: 'x',
      topics: [{ name: 'orders', partitions: [{ partitionIndex: 0, committedOffset: 1n, committedMetadata: null }] }],
    })
    assert.equal(unknown.topics[0]!.partitions[0]!.errorCode, 69)
    const simple = await ctx.call(OffsetCommit, 2, {
      groupId: 'fresh',
      memberId: '',
      topics: [{ name: 'events', partitions: [{ partitionIndex: 1, committedOffset: 7n, committedMetadata: null }] }],
    })
    assert.equal(simple.topics[0]!.partitions[0]!.errorCode, 0)

    // OffsetFetch at every version: single group before v8, batched from v8, topic ids from v10.
    for (let v = OffsetFetch.minVersion; v <= OffsetFetch.maxVersion; v++) {
      if (v < 8) {
        const r = await ctx.call(OffsetFetch, v, {
          groupId: 'g1',
          topics: [{ name: 'orders', partitionIndexes: [0, 1] }],
        })
        assert.deepEqual(
          r.topics[0]!.partitions.map((p) => p.committedOffset),
          [2n, -1n],
          `v${v}`,
        )
        if (v >= 2) {
          const all = await ctx.call(OffsetFetch, v, { groupId: 'fresh', topics: null })
          assert.deepEqual(
            all.topics.map((t) => [t.name, t.partitions[0]!.committedOffset]),
            [['events', 7n]],
          )
        }
      } else {
        const byId = v >= 10
        const r = await ctx.call(OffsetFetch, v, {
          groups: [
            {
              groupId: 'g1',
              topics: [{ ...(byId ? { topicId: TOPICS[0]!.topicId } : { name: 'orders' }), partitionIndexes: [0] }],
            },
            { groupId: 'fresh', topics: null },
            { groupId: 'missing', topics: null },
          ],
          requireStable: true,
        })
        assert.equal(r.groups[0]!.topics[0]!.partitions[0]!.committedOffset, 2n, `v${v}`)
        assert.equal(r.groups[0]!.topics[0]!.partitions[0]!.metadata, 'm')
        assert.equal(r.groups[1]!.topics[0]!.partitions[0]!.committedOffset, 7n)
        if (byId) assert.equal(r.groups[1]!.topics[0]!.topicId, TOPICS[1]!.topicId)
        assert.deepEqual(r.groups[2]!.topics, [])
      }
    }
    // OffsetCommit v10 names topics by id.
    const v10 = await ctx.call(OffsetCommit, 10, {
      groupId: 'fresh',
      memberId: '',
      topics: [
        {
          topicId: TOPICS[0]!.topicId,
          partitions: [{ partitionIndex: 2, committedOffset: 11n, committedMetadata: null }],
        },
        {
          topicId: 'AAAAAAAAAAAAAAAAAAAAAQ',
          partitions: [{ partitionIndex: 0, committedOffset: 1n, committedMetadata: null }],
        },
      ],
    })
    assert.deepEqual(
      v10.topics.map((t) => [t.topicId, t.partitions[0]!.errorCode]),
      [
        [TOPICS[0]!.topicId, 0],
        ['AAAAAAAAAAAAAAAAAAAAAQ', 100],
      ],
    )
  })

  it('refuses commits during CompletingRebalance and OffsetDelete of subscribed topics', async () => {
    const ctx = setup()
    const m1 = await firstMember(ctx)
    const del = await ctx.call(OffsetDelete, 0, {
      groupId: 'g1',
      topics: [
        { name: 'orders', partitions: [{ partitionIndex: 0 }] },
        { name: 'events', partitions: [{ partitionIndex: 0 }] },
      ],
    })
    assert.deepEqual(
      del.topics.map((t) => t.partitions[0]!.errorCode),
      [86, 0],
    )
    const parked = ctx.start(JoinGroup, 5, join1(m1))
    const joined = await parked
    assert.equal(joined.generationId, 2)
    const during = await ctx.call(OffsetCommit, 8, {
      groupId: 'g1',
      generationIdOrMemberEpoch: 2,
      memberId: m1,
      topics: [{ name: 'orders', partitions: [{ partitionIndex: 0, committedOffset: 1n, committedMetadata: null }] }],
    })
    assert.equal(during.topics[0]!.partitions[0]!.errorCode, 27)
    assert.equal((await ctx.call(OffsetDelete, 0, { groupId: 'missing', topics: [] })).errorCode, 69)
  })
})

describe('embedded group coordinator: describe, list, delete, persistence', () => {
  it('lists with state and type filters, describes missing groups per version, deletes only empty groups', async () => {
    const ctx = setup()
    const m1 = await firstMember(ctx)
    await ctx.call(OffsetCommit, 8, {
      groupId: 'g1',
      generationIdOrMemberEpoch: 1,
      memberId: m1,
      topics: [{ name: 'orders', partitions: [{ partitionIndex: 1, committedOffset: 3n, committedMetadata: null }] }],
    })
    await ctx.call(OffsetCommit, 8, {
      groupId: 'admin',
      memberId: '',
      topics: [{ name: 'orders', partitions: [{ partitionIndex: 0, committedOffset: 1n, committedMetadata: null }] }],
    })
    const all = await ctx.call(ListGroups, 5, {})
    assert.deepEqual(all.groups.map((g) => [g.groupId, g.protocolType, g.groupState, g.groupType]).sort(), [
      ['admin', '', 'Empty', 'classic'],
      ['g1', 'consumer', 'Stable', 'classic'],
    ])
    assert.deepEqual(
      (await ctx.call(ListGroups, 4, { statesFilter: ['STABLE'] })).groups.map((g) => g.groupId),
      ['g1'],
    )
    assert.deepEqual((await ctx.call(ListGroups, 5, { typesFilter: ['consumer'] })).groups, [])
    assert.equal((await ctx.call(ListGroups, 0, {})).groups.length, 2)

    const v5 = await ctx.call(DescribeGroups, 5, { groups: ['nope'] })
    assert.deepEqual([v5.groups[0]!.errorCode, v5.groups[0]!.groupState], [0, 'Dead'])
    const v6 = await ctx.call(DescribeGroups, 6, { groups: ['nope'] })
    assert.deepEqual([v6.groups[0]!.errorCode, v6.groups[0]!.errorMessage], [69, 'Group nope not found.'])

    const deleted = await ctx.call(DeleteGroups, 2, { groupsNames: ['g1', 'admin', 'nope'] })
    assert.deepEqual(
      deleted.results.map((r) => [r.groupId, r.errorCode]),
      [
        ['g1', 68],
        ['admin', 0],
        ['nope', 69],
      ],
    )
    const fetched = await ctx.call(OffsetFetch, 7, { groupId: 'admin', topics: null })
    assert.deepEqual(fetched.topics, [])
  })

  it('keeps committed offsets and groups across a restart on the same directory; drops a deleted topic', async () => {
    const dir = tempDir()
    const first = setup(dir)
    const m1 = await firstMember(first)
    await first.call(OffsetCommit, 8, {
      groupId: 'g1',
      generationIdOrMemberEpoch: 1,
      memberId: m1,
      topics: [
        { name: 'orders', partitions: [{ partitionIndex: 2, committedOffset: 42n, committedMetadata: 'meta' }] },
        { name: 'events', partitions: [{ partitionIndex: 0, committedOffset: 9n, committedMetadata: null }] },
      ],
    })
    await first.coordinator.close()

    const second = setup(dir)
    const listed = await second.call(ListGroups, 4, {})
    assert.deepEqual(
      listed.groups.map((g) => [g.groupId, g.groupState, g.protocolType]),
      [['g1', 'Empty', 'consumer']],
    )
    const r = await second.call(OffsetFetch, 7, { groupId: 'g1', topics: null })
    assert.deepEqual(
      r.topics
        .map((t) => [
          t.name,
          t.partitions[0]!.partitionIndex,
          t.partitions[0]!.committedOffset,
          t.partitions[0]!.metadata,
        ])
        .sort(),
      [
        ['events', 0, 9n, ''],
        ['orders', 2, 42n, 'meta'],
      ],
    )
    // The old member is gone after the restart: it is told to rejoin, and the generation carries on.
    const stale = await second.call(JoinGroup, 5, join1(m1))
    assert.equal(stale.errorCode, 25)
    second.coordinator.onTopicDeleted('events')
    await second.coordinator.close()

    const third = setup(dir)
    const after = await third.call(OffsetFetch, 7, { groupId: 'g1', topics: null })
    assert.deepEqual(
      after.topics.map((t) => t.name),
      ['orders'],
    )
    const rejoin = third.start(JoinGroup, 3, join1(''))
    third.advance(0)
    const again = await rejoin
    assert.equal(again.generationId, 2, 'the generation survives the restart')
    await third.coordinator.close()
  })

  it('drops a torn last line of its file (a crash mid-write) and compacts on open', async () => {
    const dir = tempDir()
    const first = setup(dir)
    for (const offset of [1n, 2n, 3n])
      await first.call(OffsetCommit, 8, {
        groupId: 'admin',
        memberId: '',
        topics: [
          { name: 'orders', partitions: [{ partitionIndex: 0, committedOffset: offset, committedMetadata: null }] },
        ],
      })
    await first.coordinator.close()
    const file = join(dir, 'groups.log')
    appendFileSync(file, '{"t":"o","g":"admin","topic":"orders","p":0,"o":"9')
    const second = setup(dir)
    const r = await second.call(OffsetFetch, 7, { groupId: 'admin', topics: null })
    assert.equal(r.topics[0]!.partitions[0]!.committedOffset, 3n)
    assert.equal(readFileSync(file, 'utf8').trim().split('\n').length, 2, 'one group line and one offset line')
    await second.coordinator.close()
  })

  it('fires its timers on its own by default (the first rebalance completes without tick())', async () => {
    const coordinator = createGroupCoordinator(brokerView(), { dataDir: '' })
    const join = coordinator.handlers.find((h) => h.api === JoinGroup)!
    // The coordinator's timers are unref'd (an in-process broker must not keep a test suite alive); in a real broker
    // the listening socket holds the event loop, here this interval does, or the loop could end before the timer.
    const keepAlive = setInterval(() => {}, 1000)
    try {
      const reply = (await join.handle(
        { ...join1(''), groupInstanceId: null, reason: null },
        { apiVersion: 3, clientId: 'c', clientAddress: '127.0.0.1:1', connectionId: 1 },
      )) as { errorCode: number; generationId: number }
      assert.deepEqual([reply.errorCode, reply.generationId], [0, 1])
    } finally {
      clearInterval(keepAlive)
      await coordinator.close()
    }
  })

  it('prints client hosts as Kafka does', () => {
    assert.equal(clientHostOf('127.0.0.1:5000'), '/127.0.0.1')
    assert.equal(clientHostOf('::ffff:127.0.0.1:5000'), '/127.0.0.1')
    assert.equal(clientHostOf('[::1]:5000'), '/::1')
  })
})

describe('embedded group coordinator: consumer protocol (KIP-848)', () => {
  const [orders] = TOPICS
  const hb = (memberId: string, memberEpoch: number, extra: Record<string, unknown> = {}) => ({
    groupId: 'cg',
    memberId,
    memberEpoch,
    rebalanceTimeoutMs: memberEpoch === 0 ? 30_000 : -1,
    subscribedTopicNames: memberEpoch === 0 ? ['orders'] : null,
    topicPartitions: memberEpoch === 0 ? [] : null,
    ...extra,
  })
  const partitions = (r: { assignment: { topicPartitions: { partitions: number[] }[] } | null }) =>
    r.assignment?.topicPartitions.flatMap((t) => t.partitions) ?? null

  it('assigns on the server, revokes before reassigning, and describes the group', async () => {
    const ctx = setup()
    const a1 = await ctx.call(ConsumerGroupHeartbeat, 1, hb('member-a', 0))
    assert.equal(a1.errorCode, 0)
    assert.equal(a1.memberEpoch, 1)
    assert.deepEqual(partitions(a1), [0, 1, 2])
    assert.equal(a1.heartbeatIntervalMs, 5000)

    const b1 = await ctx.call(ConsumerGroupHeartbeat, 1, hb('member-b', 0))
    assert.equal(b1.memberEpoch, 2)
    assert.deepEqual(partitions(b1), [], 'its partitions are still owned by member-a')
    assert.equal(b1.heartbeatIntervalMs, 500, 'heartbeats come faster while the group reconciles')
    // member-a is asked to give one partition up and keeps its epoch until it confirms.
    const a2 = await ctx.call(ConsumerGroupHeartbeat, 1, hb('member-a', 1))
    assert.equal(a2.memberEpoch, 1)
    const kept = partitions(a2)!
    assert.equal(kept.length, 2)
    const a3 = await ctx.call(
      ConsumerGroupHeartbeat,
      1,
      hb('member-a', 1, { topicPartitions: [{ topicId: orders!.topicId, partitions: kept }] }),
    )
    assert.equal(a3.memberEpoch, 2)
    const b2 = await ctx.call(ConsumerGroupHeartbeat, 1, hb('member-b', 2))
    assert.equal(partitions(b2)!.length, 1)
    assert.equal(new Set([...kept, ...partitions(b2)!]).size, 3)

    const fenced = await ctx.call(ConsumerGroupHeartbeat, 1, hb('member-b', 7))
    assert.equal(fenced.errorCode, 110)
    const described = await ctx.call(ConsumerGroupDescribe, 1, {
      groupIds: ['cg', 'g-missing'],
      includeAuthorizedOperations: false,
    })
    const g = described.groups[0]!
    assert.equal(g.groupState, 'Stable')
    assert.equal(g.groupEpoch, 2)
    assert.equal(g.members.length, 2)
    assert.equal(g.members[0]!.clientHost, '/127.0.0.1')
    assert.equal(g.members[0]!.assignment.topicPartitions[0]!.topicName, 'orders')
    assert.equal(described.groups[1]!.errorCode, 69)
    const listed = await ctx.call(ListGroups, 5, { typesFilter: ['consumer'] })
    assert.deepEqual(
      listed.groups.map((l) => [l.groupId, l.groupType, l.protocolType, l.groupState]),
      [['cg', 'consumer', 'consumer', 'Stable']],
    )
    // Commits carry the member epoch.
    const commit = (epoch: number) =>
      ctx.call(OffsetCommit, 9, {
        groupId: 'cg',
        generationIdOrMemberEpoch: epoch,
        memberId: 'member-a',
        topics: [
          { name: 'orders', partitions: [{ partitionIndex: kept[0]!, committedOffset: 4n, committedMetadata: null }] },
        ],
      })
    assert.equal((await commit(2)).topics[0]!.partitions[0]!.errorCode, 0)
    assert.equal((await commit(1)).topics[0]!.partitions[0]!.errorCode, 113)
    assert.equal((await ctx.call(DeleteGroups, 2, { groupsNames: ['cg'] })).results[0]!.errorCode, 68)

    // Leaving (epoch -1) hands the partitions to the other member; a silent member expires.
    const left = await ctx.call(ConsumerGroupHeartbeat, 1, hb('member-a', -1))
    assert.equal(left.memberEpoch, -1)
    const b3 = await ctx.call(ConsumerGroupHeartbeat, 1, hb('member-b', 2))
    assert.deepEqual(partitions(b3), [0, 1, 2])
    ctx.advance(46_000)
    assert.equal((await ctx.call(ConsumerGroupHeartbeat, 1, hb('member-b', b3.memberEpoch))).errorCode, 25)
    assert.equal((await ctx.call(DeleteGroups, 2, { groupsNames: ['cg'] })).results[0]!.errorCode, 0)
  })

  it('fences a member that keeps revoked partitions past its rebalance timeout', async () => {
    const ctx = setup()
    await ctx.call(ConsumerGroupHeartbeat, 1, hb('slow', 0))
    await ctx.call(ConsumerGroupHeartbeat, 1, hb('fast', 0))
    const asked = await ctx.call(ConsumerGroupHeartbeat, 1, hb('slow', 1))
    assert.equal(partitions(asked)!.length, 2, 'slow is asked to give one partition up')
    ctx.advance(29_000)
    assert.equal(partitions(await ctx.call(ConsumerGroupHeartbeat, 1, hb('fast', 2))), null, 'still nothing for fast')
    ctx.advance(2_000)
    assert.equal((await ctx.call(ConsumerGroupHeartbeat, 1, hb('slow', 1))).errorCode, 25)
    const fast = await ctx.call(ConsumerGroupHeartbeat, 1, hb('fast', 2))
    assert.deepEqual(partitions(fast), [0, 1, 2])
    assert.equal(fast.memberEpoch, 3)
  })

  it('validates the first heartbeat and version 0 member ids', async () => {
    const ctx = setup()
    const v0 = await ctx.call(ConsumerGroupHeartbeat, 0, hb('', 0))
    assert.equal(v0.errorCode, 0)
    assert.equal(v0.memberId!.length, 22, 'a v0 member gets its id from the broker')
    assert.equal((await ctx.call(ConsumerGroupHeartbeat, 1, hb('', 0))).errorCode, 42)
    assert.equal((await ctx.call(ConsumerGroupHeartbeat, 1, hb('m', 0, { serverAssignor: 'sticky' }))).errorCode, 112)
    assert.equal((await ctx.call(ConsumerGroupHeartbeat, 1, hb('m', 0, { subscribedTopicNames: null }))).errorCode, 42)
    const regex = await ctx.call(
      ConsumerGroupHeartbeat,
      1,
      hb('r', 0, { subscribedTopicNames: null, subscribedTopicRegex: 'ev.*' }),
    )
    assert.equal(regex.errorCode, 0)
    const d = await ctx.call(ConsumerGroupDescribe, 0, { groupIds: ['cg'], includeAuthorizedOperations: false })
    const r = d.groups[0]!.members.find((m) => m.memberId === 'r')!
    assert.deepEqual(
      r.targetAssignment.topicPartitions.map((t) => t.topicName),
      ['events'],
    )
    // A classic JoinGroup into a live consumer group is refused; DescribeGroups says it is not classic.
    assert.equal((await ctx.call(JoinGroup, 9, { ...join1(''), groupId: 'cg' })).errorCode, 23)
    const described = await ctx.call(DescribeGroups, 6, { groups: ['cg'] })
    assert.equal(described.groups[0]!.errorCode, 69)
  })
})
