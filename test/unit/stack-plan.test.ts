import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { planStack, resolveShape, stackPorts } from '../../src/model/plan.js'
import { validateStackName } from '../../src/paths.js'
import { fillTemplate, internalReplication, quorumVoters, renderNodeConfig } from '../../src/model/render.js'
import { parseProperties } from '../../src/util/properties.js'
import { UsageError } from '../../src/errors.js'

describe('resolveShape', () => {
  it('defaults to one combined KRaft node on 9092', () => {
    assert.deepEqual(resolveShape({ mode: 'kraft' }), {
      mode: 'kraft',
      brokers: 1,
      controllers: 0,
      port: 9092,
      controllerPort: 10092,
      zookeeperPort: 2181,
    })
  })
  it('gives multi-broker KRaft one dedicated controller by default', () => {
    assert.equal(resolveShape({ mode: 'kraft', brokers: 3 }).controllers, 1)
  })
  for (const bad of [0, 6, 2.5]) {
    it(`refuses --brokers ${bad}`, () => assert.throws(() => resolveShape({ mode: 'kraft', brokers: bad }), UsageError))
  }
  it('refuses controllers in ZooKeeper mode and 2 controllers', () => {
    assert.throws(() => resolveShape({ mode: 'zookeeper', controllers: 1 }), /KRaft setting/)
    assert.throws(() => resolveShape({ mode: 'kraft', controllers: 2 }), /0 \(combined\), 1 or 3/)
    assert.throws(() => resolveShape({ mode: 'kraft', brokers: 2, controllers: 0 }), /dedicated controllers/)
  })
  it('refuses invalid ports', () => assert.throws(() => resolveShape({ mode: 'kraft', port: 70000 }), /TCP port/))
})

describe('planStack', () => {
  it('lays out ZooKeeper plus brokers with consecutive ports', () => {
    const plan = planStack('s', '/x', resolveShape({ mode: 'zookeeper', brokers: 3 }))
    assert.deepEqual(
      plan.nodes.map((n) => [n.name, n.role, n.nodeId, n.port]),
      [
        ['zookeeper', 'zookeeper', 0, 2181],
        ['broker-1', 'broker', 1, 9092],
        ['broker-2', 'broker', 2, 9093],
        ['broker-3', 'broker', 3, 9094],
      ],
    )
    assert.equal(plan.bootstrapServers, '127.0.0.1:9092,127.0.0.1:9093,127.0.0.1:9094')
    assert.equal(plan.nodes[1]!.configFile, '/x/config/broker-1.properties')
  })
  it('lays out KRaft controllers with ids from 101 and brokers 1..N', () => {
    const plan = planStack('s', '/x', resolveShape({ mode: 'kraft', brokers: 2, controllers: 3 }))
    assert.deepEqual(
      plan.nodes.map((n) => [n.name, n.nodeId, n.port]),
      [
        ['controller-1', 101, 10092],
        ['controller-2', 102, 10093],
        ['controller-3', 103, 10094],
        ['broker-1', 1, 9092],
        ['broker-2', 2, 9093],
      ],
    )
    assert.equal(quorumVoters(plan), '101@127.0.0.1:10092,102@127.0.0.1:10093,103@127.0.0.1:10094')
    assert.deepEqual(
      stackPorts(plan).map((p) => p.port),
      [10092, 10093, 10094, 9092, 9093],
    )
  })
})

describe('renderNodeConfig', () => {
  const readTemplate = (name: string) =>
    (
      ({
        'kraft.properties':
          'roles={{process_roles}}\nid={{node_id}}\nvoters={{quorum_voters}}\nlisteners={{listeners}}\n{{advertised_listeners}}\n{{inter_broker_listener}}\nrf={{internal_rf}}\nisr={{internal_min_isr}}\ndirs={{data_dir}} {{stack}} {{stack_dir}} {{role}} {{zookeeper_port}}',
        'zookeeper-broker.properties':
          'id={{node_id}}\nlisteners={{listeners}}\n{{advertised_listeners}}\nzk=127.0.0.1:{{zookeeper_port}}\nrf={{internal_rf}} {{internal_min_isr}} {{data_dir}} {{stack}} {{stack_dir}} {{role}}',
        'zookeeper.properties':
          'dataDir={{data_dir}}\nclientPort={{zookeeper_port}} {{stack}} {{stack_dir}} {{role}} {{node_id}} {{internal_rf}} {{internal_min_isr}}',
      }) as Record<string, string>
    )[name]!

  it('renders a combined node that binds to 127.0.0.1 only', () => {
    const plan = planStack('s', '/x', resolveShape({ mode: 'kraft' }))
    const props = parseProperties(renderNodeConfig(plan, plan.nodes[0]!, {}, readTemplate))
    assert.equal(props.roles, 'broker,controller')
    assert.equal(props.listeners, 'PLAINTEXT://127.0.0.1:9092,CONTROLLER://127.0.0.1:10092')
    assert.equal(props['advertised.listeners'], 'PLAINTEXT://127.0.0.1:9092')
    assert.equal(props.rf, '1')
    assert.equal(props.isr, '1')
  })
  it('renders a pure controller without client listener and applies overrides last', () => {
    const plan = planStack('s', '/x', resolveShape({ mode: 'kraft', brokers: 3 }))
    const text = renderNodeConfig(plan, plan.nodes[0]!, { 'num.partitions': '3' }, readTemplate)
    const props = parseProperties(text)
    assert.equal(props.roles, 'controller')
    assert.equal(props.listeners, 'CONTROLLER://127.0.0.1:10092')
    assert.equal(props['advertised.listeners'], undefined)
    assert.equal(props['num.partitions'], '3')
    assert.equal(props.rf, '3')
    assert.equal(props.isr, '2')
  })
  it('renders ZooKeeper-mode brokers pointing at the stack ZooKeeper', () => {
    const plan = planStack('s', '/x', resolveShape({ mode: 'zookeeper', brokers: 2, zookeeperPort: 12181 }))
    const props = parseProperties(renderNodeConfig(plan, plan.nodes[2]!, {}, readTemplate))
    assert.equal(props.zk, '127.0.0.1:12181')
    assert.equal(props.id, '2')
    assert.equal(props.rf, '2 1 /x/data/broker-2 s /x broker')
  })
  it('renders the real templates without leftover placeholders', () => {
    for (const shape of [
      resolveShape({ mode: 'kraft' }),
      resolveShape({ mode: 'kraft', brokers: 3 }),
      resolveShape({ mode: 'zookeeper', brokers: 2 }),
    ]) {
      const plan = planStack('s', '/x', shape)
      for (const node of plan.nodes) {
        const text = renderNodeConfig(plan, node)
        assert.doesNotMatch(text, /\{\{/)
        const props = parseProperties(text)
        if (node.role !== 'zookeeper') assert.equal(props['group.initial.rebalance.delay.ms'], '0')
        if (node.role === 'zookeeper') assert.equal(props.clientPortAddress, '127.0.0.1')
      }
    }
  })
})

describe('helpers', () => {
  it('fits internal replication to the broker count', () => {
    assert.deepEqual([1, 2, 3, 5].map(internalReplication), [
      { rf: 1, minIsr: 1 },
      { rf: 2, minIsr: 1 },
      { rf: 3, minIsr: 2 },
      { rf: 3, minIsr: 2 },
    ])
  })
  it('fails loudly on an unknown template placeholder', () => assert.throws(() => fillTemplate('{{nope}}', {}), /nope/))
  it('parses properties with = and : separators and comments', () => {
    assert.deepEqual(parseProperties('# c\na=1\nb : 2\n! x\nc=x=y\n'), { a: '1', b: '2', c: 'x=y' })
  })
  it('validates stack names', () => {
    assert.equal(validateStackName('dev-1'), 'dev-1')
    assert.throws(() => validateStackName('../etc'), UsageError)
  })
})
